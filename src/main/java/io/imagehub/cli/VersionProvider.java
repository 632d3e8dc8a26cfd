package io.imagehub.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code imagehub --version}: the build's version and commit, and the JVM it runs on. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo build = BuildInfo.current();
        return new String[] {"imagehub " + build.version(), "commit   " + build.commit(), "java     " + BuildInfo.javaRuntime()};
    }
}
