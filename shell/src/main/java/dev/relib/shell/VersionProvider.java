package dev.relib.shell;

import picocli.CommandLine.IVersionProvider;

/** The version written into the jar's manifest by the build. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"relib " + (version == null ? "(development build)" : version)};
    }
}
