package io.imagehub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagehub.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {
    @Test
    void helpListsEverySubcommandOnOneLine() {
        CommandLine imagehub = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        imagehub.setOut(new PrintWriter(out));

        assertThat(imagehub.execute("--help")).isZero();

        List<String> lines = out.toString().lines().toList();
        int commands = lines.indexOf("Commands:");
        assertThat(commands).isNotNegative();
        List<String> listed = lines.subList(commands + 1, lines.size());
        assertThat(listed).as("one line per command, none wrapped").hasSize(imagehub.getSubcommands().size());
        for (String name : imagehub.getSubcommands().keySet()) {
            assertThat(listed).anySatisfy(line -> assertThat(line).startsWith("  " + name + " "));
        }
    }

    @Test
    void versionNamesTheVersionTheCommitAndTheJava() {
        CommandLine imagehub = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        imagehub.setOut(new PrintWriter(out));

        assertThat(imagehub.execute("--version")).isZero();

        assertThat(out.toString().lines()).hasSize(3);
        assertThat(out.toString()).startsWith("imagehub ").contains("\ncommit   ")
                .contains("\njava     " + Runtime.version());
    }
}
