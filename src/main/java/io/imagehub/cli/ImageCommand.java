package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.client.SignedClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Local files: {@code image import FILE} uploads and imports in one command, {@code image export} downloads. */
@Command(name = "image", description = {"Import a local disk file as an image, or export one to a file.",
        "image import FILE --name NAME [--wait]; image export IMAGE_ID --to FILE."},
        subcommands = {ImageCommand.Import.class, ImageCommand.Export.class})
public final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "import", description = {"Uploads a local disk file (over the API port, TC3-signed) and imports "
            + "it as a custom image; prints its ImageId and digest.", "The upload is sent again (up to 3 times) if "
            + "it breaks off; chunks already stored are not written twice."})
    static final class Import extends ClientCommand {
        private static final int ATTEMPTS = 3;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Image name.")
        String name;

        @Option(names = "--os-type", paramLabel = "OS", description = "OS type (DescribeImportImageOs; default Other Linux).")
        String osType = "Other Linux";

        @Option(names = "--os-version", paramLabel = "VERSION", description = "OS version (default 8, Other Linux's).")
        String osVersion = "8";

        @Option(names = "--architecture", paramLabel = "ARCH", description = "x86_64 (default), i386 or arm_64.")
        String architecture = "x86_64";

        @Option(names = "--description", paramLabel = "TEXT", description = "Image description.")
        String description;

        @Option(names = "--wait", description = "Wait until the image is NORMAL (it is once the upload answers).")
        boolean waitFor;

        @Option(names = "--verify", description = "Also hash the file here and compare with the service's digest.")
        boolean verify;

        @Mixin
        WaitOptions waiting = new WaitOptions();

        Import() {
            this(CliContext.system());
        }

        Import(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() throws IOException {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw CliException.usage(file + " is not a readable file");
            }
            long size = Files.size(file);
            if (size == 0) {
                throw CliException.usage(file + " is empty");
            }
            GlobalOptions.Settings settings = global.resolve(ctx);
            String region = settings.requireRegion();
            SignedClient client = settings.client();
            ObjectNode params = JsonNodeFactory.instance.objectNode().put("ImageName", name).put("OsType", osType)
                    .put("OsVersion", osVersion).put("Architecture", architecture).put("ImagehubUploadSizeBytes", size);
            if (description != null) {
                params.put("ImageDescription", description);
            }
            JsonNode opened = client.call("ImportImage", region, params);
            String imageId = opened.path("ImageId").asText();
            JsonNode done = upload(client, opened.path("ImagehubUploadUrl").asText(), imageId, size);
            if (verify) {
                String local = "sha256:" + sha256(file);
                if (!local.equals(done.path("ImagehubSha256").asText())) {
                    throw new CliException(ExitCodes.VERIFY_FAILED, "the service stored " + done.path("ImagehubSha256")
                            .asText() + " but the file is " + local);
                }
            }
            print(done, settings);
            if (waitFor) {
                new Waiters(client, ctx, waiting.interval(), waiting.maxWait()).await(List.of(
                        new Waiters.Target(Waiters.Condition.IMAGE_AVAILABLE, imageId, region)));
            }
            return ExitCodes.OK;
        }

        private JsonNode upload(SignedClient client, String url, String imageId, long size) throws IOException {
            for (int attempt = 1; ; attempt++) {
                try (Progress.Task task = Progress.forContext(ctx).task("upload " + imageId, size, true)) {
                    return client.upload(url, file, sent -> task.update(sent, null));
                } catch (SignedClient.TransportError e) {
                    if (attempt == ATTEMPTS) {
                        throw new SignedClient.TransportError(e.getMessage() + "; the image " + imageId + " stays "
                                + "IMPORTING until its upload expires", e);
                    }
                    ctx.err().println("imagehub: the upload broke off (" + e.getMessage() + "); sending it again");
                }
            }
        }
    }

    @Command(name = "export", description = "Downloads one of your images to a local file, verified against its "
            + "digest (the file appears only when it matches).")
    static final class Export extends ClientCommand {
        @Parameters(index = "0", paramLabel = "IMAGE_ID")
        String imageId;

        @Option(names = "--to", required = true, paramLabel = "FILE", description = "The file to write.")
        Path to;

        Export() {
            this(CliContext.system());
        }

        Export(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() throws IOException {
            GlobalOptions.Settings settings = global.resolve(ctx);
            SignedClient client = settings.client();
            JsonNode grant = client.call("ImagehubDescribeImageDownload", settings.requireRegion(),
                    JsonNodeFactory.instance.objectNode().put("ImageId", imageId));
            String expected = grant.path("ImagehubSha256").asText();
            long size = grant.path("ImagehubSizeBytes").asLong();
            Path partial = to.resolveSibling(to.getFileName() + ".part");
            MessageDigest digest = newDigest();
            long written = 0;
            SignedClient.Download download = client.download(grant.path("DownloadUrl").asText());
            try (Progress.Task task = Progress.forContext(ctx).task("export " + imageId, size, true);
                 InputStream in = new DigestInputStream(download.body(), digest);
                 OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    written += n;
                    task.update(written, null);
                }
            }
            String actual = "sha256:" + HexFormat.of().formatHex(digest.digest());
            if (written != size || !actual.equals(expected)) {
                Files.deleteIfExists(partial);
                throw new CliException(ExitCodes.VERIFY_FAILED, "the download does not match the image: "
                        + written + " bytes " + actual + ", expected " + size + " bytes " + expected);
            }
            Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            print(JsonNodeFactory.instance.objectNode().put("ImageId", imageId).put("File", to.toString())
                    .put("ImagehubSha256", actual).put("ImagehubSizeBytes", written), settings);
            return ExitCodes.OK;
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
