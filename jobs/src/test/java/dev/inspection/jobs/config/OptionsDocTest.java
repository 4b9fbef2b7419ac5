package dev.inspection.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.InspectionJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The option reference in {@code docs/options.md} holds, in a fenced block between {@code <!-- usage:begin -->} and
 * {@code <!-- usage:end -->}, exactly what the inspection job's {@code --help} prints: the doc is generated from the
 * declarations, not kept by hand. Lines are compared after their trailing whitespace is removed.
 */
class OptionsDocTest {

    static final Path DOC = Path.of("..", "docs", "options.md");
    static final String BEGIN = "<!-- usage:begin";
    static final String END = "<!-- usage:end";

    @Test
    void theOptionsDocHoldsWhatHelpPrints() throws IOException {
        String help = normalized(helpOutput());
        assertThat(help).as("what --help prints").startsWith("Usage: inspect");
        assertThat(normalized(usageBlock(Files.readAllLines(DOC, StandardCharsets.UTF_8))))
                .as(
                        "the --help block of %s differs from what the inspection job's --help prints: replace the"
                                + " lines between the ```text fences after '%s' with the output of"
                                + " `scripts/inspect.sh --help`",
                        DOC.normalize(), BEGIN)
                .isEqualTo(help);
    }

    /** What {@code InspectionJob --help} writes to standard output, run as its {@code main} runs it. */
    private static String helpOutput() {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            exit = InspectionJob.run(new String[] {"--help"});
        } finally {
            System.setOut(out);
        }
        assertThat(exit).as("--help's exit code").isEqualTo(InspectionJob.EXIT_OK);
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The lines inside the fenced block that follows the begin marker, up to the end marker. */
    private static String usageBlock(List<String> doc) {
        int begin = indexOf(doc, BEGIN, 0);
        int end = indexOf(doc, END, begin + 1);
        assertThat(begin).as("'%s' in %s", BEGIN, DOC).isNotNegative();
        assertThat(end).as("'%s' after '%s' in %s", END, BEGIN, DOC).isNotNegative();
        List<String> block = doc.subList(begin + 1, end);
        assertThat(block.size())
                .as("a fenced block between the markers of %s", DOC)
                .isGreaterThanOrEqualTo(2);
        assertThat(block.get(0).strip()).as("the block's opening fence").startsWith("```");
        assertThat(block.get(block.size() - 1).strip())
                .as("the block's closing fence")
                .isEqualTo("```");
        return String.join("\n", block.subList(1, block.size() - 1));
    }

    private static int indexOf(List<String> lines, String prefix, int from) {
        for (int i = Math.max(from, 0); i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The text with each line's trailing whitespace, and trailing blank lines, removed; line ends as \n. */
    private static String normalized(String text) {
        return text.lines()
                .map(String::stripTrailing)
                .collect(Collectors.joining("\n"))
                .stripTrailing();
    }
}
