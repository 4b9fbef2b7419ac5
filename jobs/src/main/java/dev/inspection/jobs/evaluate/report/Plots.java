package dev.inspection.jobs.evaluate.report;

import dev.inspection.jobs.io.Storage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.ui.VerticalAlignment;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The evaluation's plots, each as the bytes of a PNG file a person opens: precision-recall curves per class and for
 * all classes, metric-confidence curves (F1 against the score threshold), the confusion matrix of classes, and the
 * score histograms of normal and anomalous images with the threshold drawn. They follow what Ultralytics' {@code val}
 * and anomalib draw ({@code PR_curve.png}, {@code F1_curve.png}, {@code confusion_matrix_normalized.png}), drawn with
 * JFreeChart on the driver without a display (the JVM runs headless). The same data give the same bytes.
 */
public final class Plots {

    static {
        // JFreeChart draws with Java2D into an image: no display is needed, and on a cluster node there is none.
        // The property only takes effect before AWT's first use, so it is set when this class loads, unless the
        // JVM was started with a value of its own.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Width and height of the curve and histogram plots, in pixels. */
    static final int WIDTH = 1200;

    static final int HEIGHT = 900;

    /** The confusion matrix grows with the class count from this size... */
    static final int MATRIX_MIN_HEIGHT = 900;

    /** ...to at most this, which leaves an 80-class (COCO) matrix cells of about 24 pixels. */
    static final int MATRIX_MAX_HEIGHT = 2200;

    /** Pixels of height per row of the matrix, and the room its colour bar takes beside the square of cells. */
    private static final int MATRIX_ROW_PIXELS = 26;

    private static final int MATRIX_COLOUR_BAR_PIXELS = 300;

    /** From this many classes on, class curves are thin grey lines without a legend entry, as in Ultralytics. */
    static final int MAX_CLASSES_IN_LEGEND = 20;

    /** The all-classes line: thick and blue, as Ultralytics draws it. */
    static final Color ALL_CLASSES_COLOUR = new Color(0, 0, 255);

    static final Color MANY_CLASSES_COLOUR = new Color(128, 128, 128);

    /** Matplotlib's default colour cycle (tab10) then its lighter companions (tab20's): 20 colours for 20 classes. */
    static final Color[] CLASS_COLOURS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
        new Color(0xaec7e8), new Color(0xffbb78), new Color(0x98df8a), new Color(0xff9896), new Color(0xc5b0d5),
        new Color(0xc49c94), new Color(0xf7b6d2), new Color(0xc7c7c7), new Color(0xdbdb8d), new Color(0x9edae5)
    };

    /** Histogram bars: tab10's blue for normal images, its red for anomalous ones, see-through where they overlap. */
    static final Color NORMAL_COLOUR = new Color(0x1f, 0x77, 0xb4, 150);

    static final Color ANOMALOUS_COLOUR = new Color(0xd6, 0x27, 0x28, 150);

    static final Color THRESHOLD_COLOUR = Color.BLACK;

    private static final Color GRID_COLOUR = new Color(0xdddddd);

    private static final String FONT = Font.SANS_SERIF;

    private static final Font TITLE_FONT = new Font(FONT, Font.BOLD, 26);

    private static final Font AXIS_LABEL_FONT = new Font(FONT, Font.PLAIN, 22);

    private static final Font TICK_FONT = new Font(FONT, Font.PLAIN, 18);

    private static final Font LEGEND_FONT = new Font(FONT, Font.PLAIN, 17);

    private Plots() {}

    /**
     * A precision-recall curve: precision at each recall, both from 0 to 1, as many points as the caller samples.
     * {@code label} is the legend text, for example {@code "chip 0.912"} (the class and its AP50).
     */
    public record Curve(String label, double[] recall, double[] precision) {
        public Curve {
            requireSameLength(label, "recall", recall, "precision", precision);
        }
    }

    /**
     * A metric against the score threshold ({@code confidence}, 0 to 1): F1, precision or recall of a class, or of
     * all classes, at each threshold. {@code label} is the legend text.
     */
    public record ConfidenceCurve(String label, double[] confidence, double[] value) {
        public ConfidenceCurve {
            requireSameLength(label, "confidence", confidence, "value", value);
        }
    }

    /**
     * Precision-recall curves, as Ultralytics' {@code PR_curve.png}: one thin line per class and a thick blue line for
     * all classes, axes from 0 to 1, the legend on the right with each curve's label (up to 20 classes; more are drawn
     * grey without a legend entry).
     *
     * @param curves the classes' curves, then last the all-classes curve (drawn thick, on top)
     */
    public static byte[] precisionRecall(String title, List<Curve> curves) {
        return precisionRecallFigure(title, curves).png(null);
    }

    /** F1 against the score threshold, as Ultralytics' {@code F1_curve.png}; curves as in {@link #confidenceCurve}. */
    public static byte[] f1Curve(String title, List<ConfidenceCurve> curves) {
        return confidenceCurve(title, "F1", curves);
    }

    /**
     * A metric ({@code "F1"}, {@code "Precision"}, {@code "Recall"}) against the score threshold, as Ultralytics'
     * {@code F1_curve.png}, {@code P_curve.png} and {@code R_curve.png}: lines and legend as in
     * {@link #precisionRecall}.
     *
     * @param curves the classes' curves, then last the all-classes curve (drawn thick, on top)
     */
    public static byte[] confidenceCurve(String title, String metric, List<ConfidenceCurve> curves) {
        return confidenceFigure(title, metric, curves).png(null);
    }

    /**
     * The confusion matrix, as Ultralytics' {@code confusion_matrix_normalized.png}: actual classes across (True),
     * predicted classes down (Predicted), each cell coloured by its count divided by its actual class's total (its
     * column's sum), and the count written in every cell that has one. The image grows with the class count (about 26
     * pixels a row, from 900 to 2200 high); counts are left out where cells get smaller than 12 pixels.
     *
     * @param names the classes, then last {@code "background"} (a missed object's prediction, a false detection's
     *     truth)
     * @param counts {@code counts[predicted][actual]}, a square of {@code names.size()}
     */
    public static byte[] confusionMatrix(String title, List<String> names, long[][] counts) {
        return confusionMatrixFigure(title, names, counts).png(null);
    }

    /**
     * The score histograms of normal and anomalous images, overlaid, with a vertical line at the threshold labelled
     * {@code thresholdLabel} (for example {@code "threshold 0.52 (F1-max)"}).
     *
     * @param binEdges the bins' edges, increasing: one more than the counts
     * @param normal images of each bin that are normal
     * @param anomalous images of each bin that are anomalous
     */
    public static byte[] scoreHistogram(
            String title, double[] binEdges, long[] normal, long[] anomalous, double threshold, String thresholdLabel) {
        return scoreHistogramFigure(title, binEdges, normal, anomalous, threshold, thresholdLabel)
                .png(null);
    }

    /** A histogram's bins ({@code edges}, one more than the counts) and its counts of normal and anomalous images. */
    public record Histogram(double[] edges, long[] normal, long[] anomalous) {}

    /** A line of a trend: a value per day, NaN where the day has none. */
    public record Trend(String label, double[] values) {}

    /**
     * Values over run dates, a line and a dot per series, as a report's trend plots show them (1000 x 520 pixels).
     *
     * @param days the run dates, in order, as {@code YYYY-MM-DD}
     * @param share whether the values are shares, drawn from 0 to 1; else counts, from 0
     */
    public static byte[] trend(String title, String valueLabel, List<String> days, List<Trend> lines, boolean share) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Trend line : lines) {
            XYSeries series = new XYSeries(line.label(), false, true);
            for (int day = 0; day < days.size(); day++) {
                if (!Double.isNaN(line.values()[day])) {
                    series.add(day, line.values()[day]);
                }
            }
            data.addSeries(series);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < lines.size(); i++) {
            renderer.setSeriesPaint(i, CLASS_COLOURS[i % CLASS_COLOURS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(3f));
        }
        SymbolAxis dayAxis = new SymbolAxis(null, days.toArray(String[]::new));
        dayAxis.setTickLabelFont(TICK_FONT);
        dayAxis.setVerticalTickLabels(days.size() > 8); // a month of dates stands upright; a few fit as they are
        dayAxis.setGridBandsVisible(false);
        NumberAxis valueAxis = axis(valueLabel);
        if (share) {
            valueAxis.setRange(0, 1);
        } else {
            valueAxis.setAutoRangeIncludesZero(true);
            valueAxis.setAutoRangeMinimumSize(1);
            valueAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        JFreeChart chart = chart(title, plot(data, dayAxis, valueAxis, renderer));
        chart.getLegend().setPosition(RectangleEdge.TOP);
        return new Figure(chart, 1000, 520).png(null);
    }

    /** A chart and the size it is drawn at; tests draw it with a {@link ChartRenderingInfo} to find the data area. */
    record Figure(JFreeChart chart, int width, int height) {

        /** Draws the chart and encodes it as PNG; {@code info}, when given, receives where the plot was drawn. */
        byte[] png(ChartRenderingInfo info) {
            BufferedImage image = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
            try {
                return ChartUtils.encodeAsPNG(image);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Could not encode the plot '" + chart.getTitle().getText() + "'", e);
            }
        }
    }

    static Figure precisionRecallFigure(String title, List<Curve> curves) {
        requireCurves(title, curves.stream().map(Curve::label).toList());
        XYSeriesCollection data = new XYSeriesCollection();
        for (Curve curve : curves) {
            data.addSeries(series(curve.label(), curve.recall(), curve.precision()));
        }
        return new Figure(curveChart(title, "Recall", "Precision", data), WIDTH, HEIGHT);
    }

    static Figure confidenceFigure(String title, String metric, List<ConfidenceCurve> curves) {
        requireCurves(title, curves.stream().map(ConfidenceCurve::label).toList());
        XYSeriesCollection data = new XYSeriesCollection();
        for (ConfidenceCurve curve : curves) {
            data.addSeries(series(curve.label(), curve.confidence(), curve.value()));
        }
        return new Figure(curveChart(title, "Confidence", metric, data), WIDTH, HEIGHT);
    }

    static Figure confusionMatrixFigure(String title, List<String> names, long[][] counts) {
        int n = names.size();
        if (n < 2 || !names.get(n - 1).equals("background")) {
            throw new IllegalArgumentException("Confusion matrix '" + title
                    + "': the names must be the classes then \"background\", got " + names);
        }
        if (counts.length != n) {
            throw new IllegalArgumentException(
                    "Confusion matrix '" + title + "': " + n + " names but " + counts.length + " rows of counts");
        }
        double[] actualTotals = new double[n];
        for (int predicted = 0; predicted < n; predicted++) {
            if (counts[predicted].length != n) {
                throw new IllegalArgumentException("Confusion matrix '" + title + "': row " + predicted + " ("
                        + names.get(predicted) + ") has " + counts[predicted].length + " counts, expected " + n);
            }
            for (int actual = 0; actual < n; actual++) {
                if (counts[predicted][actual] < 0) {
                    throw new IllegalArgumentException("Confusion matrix '" + title + "': negative count "
                            + counts[predicted][actual] + " at predicted " + names.get(predicted) + ", actual "
                            + names.get(actual));
                }
                actualTotals[actual] += counts[predicted][actual];
            }
        }
        int height = Math.max(MATRIX_MIN_HEIGHT, Math.min(MATRIX_MAX_HEIGHT, 300 + MATRIX_ROW_PIXELS * n));
        int width = height + MATRIX_COLOUR_BAR_PIXELS;
        // About what a cell measures: the plot takes the height but for the title and the tick labels.
        double cellPixels = (height - 300) / (double) n;

        // Two series: cells light enough for black counts, and dark ones whose counts are written in white (the text
        // colour is the series' item label paint). Empty cells are not drawn: the white background shows.
        CellSeries light = new CellSeries();
        CellSeries dark = new CellSeries();
        for (int predicted = 0; predicted < n; predicted++) {
            for (int actual = 0; actual < n; actual++) {
                long count = counts[predicted][actual];
                if (count > 0) {
                    double fraction = count / actualTotals[actual];
                    (fraction > 0.5 ? dark : light).add(actual, predicted, fraction, count);
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("light", light.xyz());
        data.addSeries("dark", dark.xyz());

        String[] symbols = names.toArray(String[]::new);
        Font tickFont = new Font(FONT, Font.PLAIN, (int) Math.max(9, Math.min(18, cellPixels * 0.55)));
        SymbolAxis actualAxis = matrixAxis("True", symbols, n, tickFont);
        actualAxis.setVerticalTickLabels(n > 6);
        SymbolAxis predictedAxis = matrixAxis("Predicted", symbols, n, tickFont);
        predictedAxis.setInverted(true); // the first class at the top, as a printed matrix

        XYBlockRenderer renderer = new XYBlockRenderer();
        BluesPaintScale scale = new BluesPaintScale();
        renderer.setPaintScale(scale);
        if (cellPixels >= 12) {
            List<long[]> seriesCounts = List.of(light.counts(), dark.counts());
            renderer.setDefaultItemLabelGenerator(
                    (dataset, series, item) -> Long.toString(seriesCounts.get(series)[item]));
            renderer.setDefaultItemLabelsVisible(true);
            renderer.setDefaultItemLabelFont(new Font(FONT, Font.PLAIN, (int) Math.min(20, cellPixels * 0.42)));
            renderer.setDefaultPositiveItemLabelPosition(
                    new ItemLabelPosition(ItemLabelAnchor.CENTER, TextAnchor.CENTER));
            renderer.setSeriesItemLabelPaint(0, Color.BLACK);
            renderer.setSeriesItemLabelPaint(1, Color.WHITE);
        }
        XYPlot plot = new XYPlot(data, actualAxis, predictedAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlinePaint(Color.GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(10, 10, 10, 10));
        NumberAxis fractionAxis = new NumberAxis("fraction of the true class");
        fractionAxis.setRange(0, 1);
        fractionAxis.setTickUnit(new NumberTickUnit(0.2));
        fractionAxis.setTickLabelFont(TICK_FONT);
        fractionAxis.setLabelFont(AXIS_LABEL_FONT);
        PaintScaleLegend colourBar = new PaintScaleLegend(scale, fractionAxis);
        colourBar.setPosition(RectangleEdge.RIGHT);
        colourBar.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
        colourBar.setStripWidth(30);
        colourBar.setSubdivisionCount(256);
        colourBar.setMargin(new RectangleInsets(60, 30, 60, 10));
        colourBar.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(colourBar);
        return new Figure(chart, width, height);
    }

    static Figure scoreHistogramFigure(
            String title, double[] binEdges, long[] normal, long[] anomalous, double threshold, String thresholdLabel) {
        if (binEdges.length < 2 || normal.length != binEdges.length - 1 || anomalous.length != normal.length) {
            throw new IllegalArgumentException("Score histogram '" + title + "': " + binEdges.length
                    + " bin edges need " + (binEdges.length - 1) + " normal and as many anomalous counts, got "
                    + normal.length + " and " + anomalous.length);
        }
        for (int i = 1; i < binEdges.length; i++) {
            if (!(binEdges[i] > binEdges[i - 1])) {
                throw new IllegalArgumentException("Score histogram '" + title + "': bin edges must increase, got "
                        + binEdges[i - 1] + " then " + binEdges[i] + " at " + i);
            }
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(bars("normal", binEdges, normal));
        data.addSeries(bars("anomalous", binEdges, anomalous));

        NumberAxis scoreAxis = axis("Score");
        double low = Math.min(binEdges[0], threshold);
        double high = Math.max(binEdges[binEdges.length - 1], threshold);
        double margin = (high - low) * 0.02;
        scoreAxis.setRange(low - margin, high + margin);
        NumberAxis imagesAxis = axis("Images");
        imagesAxis.setAutoRangeIncludesZero(true);
        imagesAxis.setUpperMargin(0.1);
        long most = Math.max(1, Math.max(max(normal), max(anomalous)));
        imagesAxis.setTickUnit(new NumberTickUnit(countStep(most * 1.1 / 10)));

        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setSeriesPaint(0, NORMAL_COLOUR);
        renderer.setSeriesPaint(1, ANOMALOUS_COLOUR);
        XYPlot plot = plot(data, scoreAxis, imagesAxis, renderer);

        ValueMarker marker = new ValueMarker(threshold, THRESHOLD_COLOUR, new BasicStroke(3f));
        marker.setLabel(thresholdLabel);
        marker.setLabelFont(LEGEND_FONT);
        marker.setLabelPaint(THRESHOLD_COLOUR);
        marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        marker.setLabelOffset(new RectangleInsets(8, 8, 8, 8));
        plot.addDomainMarker(marker);

        JFreeChart chart = chart(title, plot);
        // Bars are rectangles on whole pixels: without antialiasing their shared edges show no seam (text stays
        // antialiased).
        chart.setAntiAlias(false);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.TOP);
        return new Figure(chart, WIDTH, HEIGHT);
    }

    /** Lines from (0, 0) to (1, 1): thin for classes (grey from 21 on, with no legend), the last thick blue on top. */
    private static JFreeChart curveChart(String title, String xLabel, String yLabel, XYSeriesCollection data) {
        int classes = data.getSeriesCount() - 1;
        boolean classLegend = classes <= MAX_CLASSES_IN_LEGEND;
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int series = 0; series < classes; series++) {
            renderer.setSeriesPaint(
                    series, classLegend ? CLASS_COLOURS[series % CLASS_COLOURS.length] : MANY_CLASSES_COLOUR);
            renderer.setSeriesStroke(series, new BasicStroke(2f));
            renderer.setSeriesVisibleInLegend(series, classLegend);
        }
        renderer.setSeriesPaint(classes, ALL_CLASSES_COLOUR);
        renderer.setSeriesStroke(classes, new BasicStroke(5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
        renderer.setLegendLine(new Line2D.Double(-14, 0, 14, 0));

        NumberAxis x = unitAxis(xLabel);
        NumberAxis y = unitAxis(yLabel);
        XYPlot plot = plot(data, x, y, renderer);
        // Series in their order: the all-classes line, last, over the classes' (JFreeChart's default is the reverse).
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);

        JFreeChart chart = chart(title, plot);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setVerticalAlignment(VerticalAlignment.TOP);
        return chart;
    }

    private static XYPlot plot(XYDataset data, ValueAxis x, ValueAxis y, XYItemRenderer renderer) {
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID_COLOUR);
        plot.setRangeGridlinePaint(GRID_COLOUR);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Color.GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        return plot;
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(10, 10, 10, 20));
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(LEGEND_FONT);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(Color.WHITE);
        legend.setItemLabelPadding(new RectangleInsets(3, 6, 3, 6));
        return chart;
    }

    private static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(AXIS_LABEL_FONT);
        axis.setTickLabelFont(TICK_FONT);
        return axis;
    }

    private static NumberAxis unitAxis(String label) {
        NumberAxis axis = axis(label);
        axis.setRange(0, 1);
        axis.setTickUnit(new NumberTickUnit(0.2));
        return axis;
    }

    private static SymbolAxis matrixAxis(String label, String[] symbols, int n, Font tickFont) {
        SymbolAxis axis = new SymbolAxis(label, symbols);
        axis.setRange(-0.5, n - 0.5);
        axis.setGridBandsVisible(false);
        axis.setLabelFont(AXIS_LABEL_FONT);
        axis.setTickLabelFont(tickFont);
        return axis;
    }

    /**
     * The whole number of images from the 1, 2, 5, 10, 20, 50... ladder at or above {@code step}: about ten ticks up
     * the count axis. JFreeChart's own choice packs a tick wherever a label fits, 26 of them on a 900-pixel plot.
     */
    static double countStep(double step) {
        double decade = Math.pow(10, Math.floor(Math.log10(Math.max(1, step))));
        for (double factor : new double[] {1, 2, 5}) {
            if (factor * decade >= step) {
                return factor * decade;
            }
        }
        return 10 * decade;
    }

    private static long max(long[] counts) {
        long max = 0;
        for (long count : counts) {
            max = Math.max(max, count);
        }
        return max;
    }

    private static XYSeries series(String label, double[] x, double[] y) {
        XYSeries series = new XYSeries(label, false, true);
        for (int i = 0; i < x.length; i++) {
            series.add(x[i], y[i], false);
        }
        return series;
    }

    private static XYIntervalSeries bars(String label, double[] edges, long[] counts) {
        XYIntervalSeries series = new XYIntervalSeries(label);
        for (int i = 0; i < counts.length; i++) {
            double middle = (edges[i] + edges[i + 1]) / 2;
            series.add(middle, edges[i], edges[i + 1], counts[i], 0, counts[i]);
        }
        return series;
    }

    /** At least the all-classes curve, and no label twice (the legend and JFreeChart's series keys tell them apart). */
    private static void requireCurves(String title, List<String> curveLabels) {
        if (curveLabels.isEmpty()) {
            throw new IllegalArgumentException("Plot '" + title + "': no curves (the last one is all classes')");
        }
        Set<String> labels = new HashSet<>();
        for (String label : curveLabels) {
            if (!labels.add(label)) {
                throw new IllegalArgumentException("Plot '" + title + "': two curves labelled '" + label + "'");
            }
        }
    }

    private static void requireSameLength(String label, String xName, double[] x, String yName, double[] y) {
        if (label == null || x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException("Curve '" + label + "': " + xName + " and " + yName
                    + " must be given and as long as each other, got " + (x == null ? null : x.length) + " and "
                    + (y == null ? null : y.length) + " values");
        }
    }

    /** The cells of one series of the matrix: where (x actual, y predicted), their colour value and their count. */
    private static final class CellSeries {
        private final ArrayList<double[]> cells = new ArrayList<>();
        private final ArrayList<Long> counts = new ArrayList<>();

        void add(int actual, int predicted, double fraction, long count) {
            cells.add(new double[] {actual, predicted, fraction});
            counts.add(count);
        }

        double[][] xyz() {
            double[][] xyz = new double[3][cells.size()];
            for (int i = 0; i < cells.size(); i++) {
                for (int d = 0; d < 3; d++) {
                    xyz[d][i] = cells.get(i)[d];
                }
            }
            return xyz;
        }

        long[] counts() {
            return counts.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /**
     * Matplotlib's {@code Blues} colour map (ColorBrewer's nine blues, interpolated linearly between them, as
     * matplotlib's LinearSegmentedColormap does) over 0 to 1: what Ultralytics' matrix is coloured with. JFreeChart
     * ships only a gray scale and a stepped lookup scale, so the interpolation is written here.
     */
    static final class BluesPaintScale implements PaintScale, Serializable {
        private static final long serialVersionUID = 1L;

        private static final int[] ANCHORS = {
            0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b
        };

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double position = Math.max(0, Math.min(1, value)) * (ANCHORS.length - 1);
            int below = Math.min((int) position, ANCHORS.length - 2);
            double t = position - below;
            return new Color(
                    mix(ANCHORS[below] >> 16, ANCHORS[below + 1] >> 16, t),
                    mix(ANCHORS[below] >> 8, ANCHORS[below + 1] >> 8, t),
                    mix(ANCHORS[below], ANCHORS[below + 1], t));
        }

        private static int mix(int from, int to, double t) {
            return (int) Math.round((from & 0xff) * (1 - t) + (to & 0xff) * t);
        }
    }

    /** Writes one plot's PNG under the run's plot folder. */
    public static void writePng(String plots, String name, byte[] png, Configuration conf) throws IOException {
        Storage.writeAll(new Path(plots, name), png, conf);
    }
}
