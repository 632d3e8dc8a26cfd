package io.imagehub.it;

import java.util.Random;

/** A node with one account, alice, owning one NORMAL 1 MiB image in ap-guangzhou: the set-up of the wire tests. */
record NodeWithOneImage(FileServer files, TestServer server, TestServer.Account alice, String imageId)
        implements AutoCloseable {

    static NodeWithOneImage start(String imageName, long seed) throws Exception {
        FileServer files = new FileServer();
        TestServer server = TestServer.importingFrom(files, c -> { });
        TestServer.Account alice = server.createAccount("alice");
        byte[] disk = new byte[1024 * 1024];
        new Random(seed).nextBytes(disk);
        String imageId = Images.importReady(server.client(alice, "ap-guangzhou"),
                files.put(imageName + ".raw", disk), imageName);
        return new NodeWithOneImage(files, server, alice, imageId);
    }

    @Override
    public void close() throws Exception {
        server.close();
        files.close();
    }
}
