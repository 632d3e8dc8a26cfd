package io.imagehub.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    @TempDir
    Path dir;

    @Test
    void aSecretRoundTripsButItsCiphertextRevealsNothing() throws Exception {
        SecretCipher cipher = SecretCipher.fromEnvOrFile(dir.resolve("master.key"));
        String sealed = cipher.encrypt("AKIDone", "theSecretKey");
        assertThat(sealed).doesNotContain("theSecretKey");
        assertThat(cipher.encrypt("AKIDone", "theSecretKey")).isNotEqualTo(sealed); // fresh IV each time
        assertThat(cipher.decrypt("AKIDone", sealed)).isEqualTo("theSecretKey");
    }

    @Test
    void aCiphertextMovedToAnotherKeyIdDoesNotDecrypt() throws Exception {
        SecretCipher cipher = SecretCipher.fromEnvOrFile(dir.resolve("master.key"));
        String sealed = cipher.encrypt("AKIDone", "theSecretKey");
        assertThatThrownBy(() -> cipher.decrypt("AKIDtwo", sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anotherMasterKeyCannotDecryptAndTheKeyFileIsPrivate() throws Exception {
        Path keyFile = dir.resolve("master.key");
        String sealed = SecretCipher.fromEnvOrFile(keyFile).encrypt("AKIDone", "theSecretKey");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        SecretCipher other = SecretCipher.fromEnvOrFile(dir.resolve("other.key"));
        assertThatThrownBy(() -> other.decrypt("AKIDone", sealed)).isInstanceOf(IllegalStateException.class);
    }
}
