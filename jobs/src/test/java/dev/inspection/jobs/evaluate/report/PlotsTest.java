package dev.inspection.jobs.evaluate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.jobs.evaluate.report.Plots.ConfidenceCurve;
import dev.inspection.jobs.evaluate.report.Plots.Curve;
import dev.inspection.jobs.evaluate.report.Plots.Figure;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

/**
 * The plots as a person sees them: each PNG decodes to its size, and the curves, cells and bars are drawn where their
 * values put them (pixels read at positions computed from the chart's data area and axes).
 */
class PlotsTest {

    private static final List<Curve> TWO_CLASSES = List.of(
            new Curve("chip 0.540", new double[] {0, 0.6}, new double[] {0.9, 0.9}),
            new Curve("resistor 0.300", new double[] {0, 1}, new double[] {0.3, 0.3}),
            new Curve("all classes 0.420 mAP@0.5", new double[] {0, 1}, new double[] {0.6, 0.6}));

    private static final List<String> NAMES = List.of("chip", "resistor", "background");

    /** counts[predicted][actual]: 10 true chips, 4 true resistors, 3 false detections (true background). */
    private static final long[][] COUNTS = {
        {8, 2, 3},
        {1, 2, 0},
        {1, 0, 0}
    };

    @Test
    void precisionRecallDrawsEachCurveAtItsValues() throws IOException {
        Drawn pr = Drawn.of(Plots.precisionRecallFigure("Precision-Recall Curve", TWO_CLASSES));

        assertThat(pr.image.getWidth()).as("width").isEqualTo(1200);
        assertThat(pr.image.getHeight()).as("height").isEqualTo(900);
        assertThat(pr.nearest(0.5, 0.6, Plots.ALL_CLASSES_COLOUR))
                .as("the all-classes line at precision 0.6")
                .isZero();
        assertThat(pr.nearest(0.3, 0.9, Plots.CLASS_COLOURS[0]))
                .as("chip's line at precision 0.9")
                .isLessThan(10);
        assertThat(pr.nearest(0.8, 0.3, Plots.CLASS_COLOURS[1]))
                .as("resistor's line at precision 0.3")
                .isLessThan(10);
        assertThat(pr.nearest(0.8, 0.9, Plots.CLASS_COLOURS[0]))
                .as("nothing of chip's line past its last recall, 0.6")
                .isGreaterThan(200);
        assertThat(pr.rangeAt(0)).as("precision axis bottom").isEqualTo(pr.area.getMaxY(), within());
        assertThat(pr.rangeAt(1)).as("precision axis top").isEqualTo(pr.area.getMinY(), within());
        assertThat(pr.domainAt(1)).as("recall axis right end").isEqualTo(pr.area.getMaxX(), within());
        assertThat(legend(pr.plot))
                .as("legend")
                .containsExactly("chip 0.540", "resistor 0.300", "all classes 0.420 mAP@0.5");
    }

    @Test
    void precisionRecallIsThePngTheFigureDraws() {
        byte[] png = Plots.precisionRecall("Precision-Recall Curve", TWO_CLASSES);

        assertThat(png)
                .as("the same bytes again")
                .isEqualTo(Plots.precisionRecall("Precision-Recall Curve", TWO_CLASSES));
        assertThat(png)
                .as("the bytes of the figure the other tests read")
                .isEqualTo(Plots.precisionRecallFigure("Precision-Recall Curve", TWO_CLASSES)
                        .png(new ChartRenderingInfo()));
    }

    @Test
    void manyClassesAreGreyWithOnlyAllClassesInTheLegend() throws IOException {
        List<Curve> curves = new ArrayList<>();
        for (int c = 0; c < 80; c++) {
            curves.add(new Curve("class" + c, new double[] {0, 1}, new double[] {c / 100.0, c / 100.0}));
        }
        curves.add(new Curve("all classes 0.395 mAP@0.5", new double[] {0, 1}, new double[] {0.95, 0.95}));
        Drawn pr = Drawn.of(Plots.precisionRecallFigure("COCO", curves));

        assertThat(legend(pr.plot)).as("legend").containsExactly("all classes 0.395 mAP@0.5");
        assertThat(pr.nearest(0.5, 0.5, Plots.MANY_CLASSES_COLOUR))
                .as("class 50's grey line")
                .isLessThan(10);
        assertThat(pr.nearest(0.5, 0.95, Plots.ALL_CLASSES_COLOUR))
                .as("the all-classes line")
                .isZero();
    }

    @Test
    void f1CurveDrawsF1AgainstConfidence() throws IOException {
        List<ConfidenceCurve> curves = List.of(
                new ConfidenceCurve("chip", new double[] {0, 0.5, 1}, new double[] {0.2, 0.8, 0.2}),
                new ConfidenceCurve("all classes 0.80 at 0.500", new double[] {0, 1}, new double[] {0.4, 0.4}));
        Drawn f1 = Drawn.of(Plots.confidenceFigure("F1-Confidence Curve", "F1", curves));

        assertThat(f1.plot.getDomainAxis().getLabel()).as("x axis").isEqualTo("Confidence");
        assertThat(f1.plot.getRangeAxis().getLabel()).as("y axis").isEqualTo("F1");
        assertThat(f1.nearest(0.5, 0.8, Plots.CLASS_COLOURS[0]))
                .as("chip's peak")
                .isLessThan(10);
        assertThat(f1.nearest(0.25, 0.4, Plots.ALL_CLASSES_COLOUR))
                .as("the all-classes line")
                .isZero();
        assertThat(ImageIO.read(new ByteArrayInputStream(Plots.f1Curve("F1-Confidence Curve", curves))))
                .as("the PNG")
                .extracting(BufferedImage::getWidth, BufferedImage::getHeight)
                .containsExactly(1200, 900);
    }

    @Test
    void confusionMatrixColoursEachCellByItsShareOfTheTrueClass() throws IOException {
        Drawn matrix = Drawn.of(Plots.confusionMatrixFigure("Confusion Matrix", NAMES, COUNTS));

        assertThat(matrix.image.getWidth()).as("width").isEqualTo(1200);
        assertThat(matrix.image.getHeight()).as("height").isEqualTo(900);
        Plots.BluesPaintScale blues = new Plots.BluesPaintScale();
        assertThat(matrix.cell(0, 0)).as("8 of 10 chips found").isEqualTo(blues.getPaint(0.8));
        assertThat(matrix.cell(1, 0)).as("1 of 10 chips called a resistor").isEqualTo(blues.getPaint(0.1));
        assertThat(matrix.cell(1, 1)).as("2 of 4 resistors found").isEqualTo(blues.getPaint(0.5));
        assertThat(matrix.cell(0, 2)).as("3 of 3 false detections called chips").isEqualTo(blues.getPaint(1.0));
        assertThat(matrix.cell(2, 1)).as("no resistor missed: an empty cell").isEqualTo(Color.WHITE);
        assertThat(luminance(matrix.cell(0, 2)))
                .as("3 false chips darker than 8 found chips: coloured by the share of the column, not the count")
                .isLessThan(luminance(matrix.cell(0, 0)));
        assertThat(matrix.plot.getDomainAxis().getLabel()).as("across").isEqualTo("True");
        assertThat(matrix.plot.getRangeAxis().getLabel()).as("down").isEqualTo("Predicted");
    }

    @Test
    void confusionMatrixWritesTheCountInEachNonEmptyCell() throws IOException {
        Drawn matrix = Drawn.of(Plots.confusionMatrixFigure("Confusion Matrix", NAMES, COUNTS));

        assertThat(matrix.textPixels(1, 0, Color.BLACK))
                .as("black '1' on a light cell")
                .isPositive();
        assertThat(matrix.textPixels(0, 2, Color.WHITE))
                .as("white '3' on the darkest cell")
                .isPositive();
        assertThat(matrix.textPixels(2, 1, Color.BLACK))
                .as("nothing in the empty cell")
                .isZero();
    }

    @Test
    void confusionMatrixOfCocoRendersLargerWithEveryCell() throws IOException {
        List<String> names = new ArrayList<>(
                IntStream.range(0, 80).mapToObj(c -> "class" + c).toList());
        names.add("background");
        long[][] counts = new long[81][81];
        for (int c = 0; c < 80; c++) {
            counts[c][c] = 90 + c;
            counts[80][c] = 10;
            counts[c][80] = c % 7;
        }
        Drawn matrix = Drawn.of(Plots.confusionMatrixFigure("Confusion Matrix", names, counts));

        assertThat(matrix.image.getHeight()).as("height, capped").isEqualTo(Plots.MATRIX_MAX_HEIGHT);
        assertThat(matrix.image.getWidth()).as("width").isEqualTo(Plots.MATRIX_MAX_HEIGHT + 300);
        Plots.BluesPaintScale blues = new Plots.BluesPaintScale();
        assertThat(matrix.cell(40, 40)).as("class40 found").isEqualTo(blues.getPaint(130 / 140.0));
        assertThat(matrix.cell(80, 79)).as("class79 missed").isEqualTo(blues.getPaint(10 / 179.0));
        assertThat(matrix.cell(0, 80)).as("class0's false detections: none").isEqualTo(Color.WHITE);
        assertThat(matrix.textPixels(40, 40, Color.WHITE)).as("class40's count").isPositive();
    }

    @Test
    void scoreHistogramOverlaysBothClassesWithTheThreshold() throws IOException {
        double[] edges = IntStream.rangeClosed(0, 10).mapToDouble(i -> i / 10.0).toArray();
        long[] normal = {5, 9, 6, 2, 0, 0, 0, 0, 0, 0};
        long[] anomalous = {0, 0, 0, 1, 2, 4, 7, 5, 3, 1};
        Drawn histogram = Drawn.of(
                Plots.scoreHistogramFigure("Image scores", edges, normal, anomalous, 0.42, "threshold 0.42 (F1-max)"));

        assertThat(histogram.image.getWidth()).as("width").isEqualTo(1200);
        assertThat(histogram.image.getHeight()).as("height").isEqualTo(900);
        Color normalBar = onWhite(Plots.NORMAL_COLOUR);
        Color anomalousBar = onWhite(Plots.ANOMALOUS_COLOUR);
        assertThat(distance(histogram.at(0.15, 8.5), normalBar))
                .as("normal bar of 9 up to 8.5")
                .isLessThan(3);
        assertThat(histogram.at(0.15, 9.5)).as("and not up to 9.5").isEqualTo(Color.WHITE);
        assertThat(distance(histogram.at(0.65, 6.5), anomalousBar))
                .as("anomalous bar of 7")
                .isLessThan(3);
        assertThat(distance(histogram.at(0.65, 0.5), normalBar))
                .as("no normal bar where no normal image scored")
                .isGreaterThan(50);
        Color both = histogram.at(0.32, 0.5);
        assertThat(distance(both, normalBar))
                .as("where both have images the bars overlap")
                .isGreaterThan(20);
        assertThat(distance(both, anomalousBar))
                .as("where both have images the bars overlap")
                .isGreaterThan(20);
        assertThat(histogram.at(0.42, 8)).as("the threshold line").isEqualTo(Plots.THRESHOLD_COLOUR);
    }

    @Test
    void histogramCountAxisStepsByOneTwoOrFive() {
        assertThat(Plots.countStep(0.4)).as("fewer than ten images").isEqualTo(1);
        assertThat(Plots.countStep(1.2)).isEqualTo(2);
        assertThat(Plots.countStep(3)).isEqualTo(5);
        assertThat(Plots.countStep(12.9)).as("129 images at most").isEqualTo(20);
        assertThat(Plots.countStep(700)).isEqualTo(1000);
    }

    @Test
    void badInputsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> Plots.confusionMatrix("m", List.of("chip", "resistor"), new long[2][2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("then \"background\", got [chip, resistor]");
        assertThatThrownBy(() -> Plots.confusionMatrix("m", NAMES, new long[][] {{1, 2, 3}, {1, 2}, {1, 2, 3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 (resistor) has 2 counts, expected 3");
        assertThatThrownBy(() -> Plots.scoreHistogram("h", new double[] {0, 0.5, 1}, new long[3], new long[3], 0.5, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 bin edges need 2 normal and as many anomalous counts, got 3 and 3");
        assertThatThrownBy(() -> new Curve("chip", new double[] {0, 1}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Curve 'chip': recall and precision must be given and as long as each other");
    }

    /** A figure drawn once: the decoded PNG, and where its plot's data area lies in it. */
    private record Drawn(BufferedImage image, XYPlot plot, Rectangle2D area) {

        static Drawn of(Figure figure) throws IOException {
            ChartRenderingInfo info = new ChartRenderingInfo();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(figure.png(info)));
            return new Drawn(
                    image, figure.chart().getXYPlot(), info.getPlotInfo().getDataArea());
        }

        double domainAt(double x) {
            return plot.getDomainAxis().valueToJava2D(x, area, plot.getDomainAxisEdge());
        }

        double rangeAt(double y) {
            return plot.getRangeAxis().valueToJava2D(y, area, plot.getRangeAxisEdge());
        }

        Color at(double x, double y) {
            return new Color(image.getRGB((int) domainAt(x), (int) rangeAt(y)));
        }

        /** The smallest colour distance to {@code colour} among the pixels within 4 of where (x, y) is drawn. */
        int nearest(double x, double y, Color colour) {
            int px = (int) domainAt(x);
            int py = (int) rangeAt(y);
            int best = Integer.MAX_VALUE;
            for (int dy = -4; dy <= 4; dy++) {
                for (int dx = -4; dx <= 4; dx++) {
                    best = Math.min(best, distance(new Color(image.getRGB(px + dx, py + dy)), colour));
                }
            }
            return best;
        }

        /** A cell's colour, read a third of the way in from its top-left corner: clear of its count. */
        Color cell(int predicted, int actual) {
            return new Color(image.getRGB((int) domainAt(actual - 0.33), (int) rangeAt(predicted - 0.33)));
        }

        /** Pixels of (nearly) {@code colour} in the middle third of a cell, where its count is written. */
        int textPixels(int predicted, int actual, Color colour) {
            int found = 0;
            for (int y = (int) rangeAt(predicted - 0.2); y <= (int) rangeAt(predicted + 0.2); y++) {
                for (int x = (int) domainAt(actual - 0.3); x <= (int) domainAt(actual + 0.3); x++) {
                    if (distance(new Color(image.getRGB(x, y)), colour) < 60) {
                        found++;
                    }
                }
            }
            return found;
        }
    }

    private static List<String> legend(XYPlot plot) {
        LegendItemCollection items = plot.getLegendItems();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < items.getItemCount(); i++) {
            labels.add(items.get(i).getLabel());
        }
        return labels;
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.5);
    }

    /** A translucent colour drawn over white. */
    private static Color onWhite(Color colour) {
        double alpha = colour.getAlpha() / 255.0;
        return new Color(
                (int) Math.round(colour.getRed() * alpha + 255 * (1 - alpha)),
                (int) Math.round(colour.getGreen() * alpha + 255 * (1 - alpha)),
                (int) Math.round(colour.getBlue() * alpha + 255 * (1 - alpha)));
    }

    private static int distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed())
                + Math.abs(a.getGreen() - b.getGreen())
                + Math.abs(a.getBlue() - b.getBlue());
    }

    private static double luminance(Color c) {
        return 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
    }
}
