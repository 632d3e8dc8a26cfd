package io.imagehub.doctor;

/** The outcome of one check: what was looked at, what was found, and (unless it is fine) what to do about it. */
public record Finding(Verdict verdict, String subject, String detail, String fix) {
    public enum Verdict { OK, WARN, FAIL }

    public static Finding ok(String subject, String detail) {
        return new Finding(Verdict.OK, subject, detail, null);
    }

    public static Finding warn(String subject, String detail, String fix) {
        return new Finding(Verdict.WARN, subject, detail, fix);
    }

    public static Finding fail(String subject, String detail, String fix) {
        return new Finding(Verdict.FAIL, subject, detail, fix);
    }
}
