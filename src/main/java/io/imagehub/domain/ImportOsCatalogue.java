package io.imagehub.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What ImportImage accepts as OsType/OsVersion/Architecture: Tencent's published catalogue (spec 3.3). */
public final class ImportOsCatalogue {
    public record OsEntry(String osName, List<String> versions, List<String> architectures, boolean windows) {
    }

    private static final List<String> X86 = List.of("x86_64", "i386");
    public static final List<OsEntry> ENTRIES = List.of(
            new OsEntry("Windows Server 2008", List.of("9"), X86, true),
            new OsEntry("Windows Server 2012", List.of("9"), X86, true),
            new OsEntry("Windows Server 2016", List.of("9"), X86, true),
            new OsEntry("CentOS", List.of("5", "6", "7"), X86, false),
            new OsEntry("CoreOS", List.of("7"), X86, false),
            new OsEntry("Debian", List.of("6", "7", "8", "9"), X86, false),
            new OsEntry("FreeBSD", List.of("10"), X86, false),
            new OsEntry("Redhat", List.of("5", "6", "7"), X86, false),
            new OsEntry("OpenSUSE", List.of("11", "12"), X86, false),
            new OsEntry("SUSE", List.of("10", "11", "12", "13"), X86, false),
            new OsEntry("Ubuntu", List.of("10", "12", "14", "16"), X86, false),
            new OsEntry("Other Linux", List.of("8"), X86, false));

    private static final Map<String, OsEntry> BY_NAME = new LinkedHashMap<>();

    static {
        ENTRIES.forEach(e -> BY_NAME.put(e.osName(), e));
    }

    private ImportOsCatalogue() {
    }

    public static OsEntry find(String osType) {
        return BY_NAME.get(osType);
    }
}
