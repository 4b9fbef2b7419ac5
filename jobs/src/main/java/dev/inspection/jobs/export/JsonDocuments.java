package dev.inspection.jobs.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspection.jobs.annotate.DrawnRegion;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The exports that are one JSON document: COCO instances with scores, and Label Studio tasks with predictions. Each
 * part of up to {@link Export#PICTURES_PER_FILE} pictures is a whole document, written by one task as it streams.
 */
final class JsonDocuments {

    private static final JsonFactory JSON = new JsonFactory();

    /** Writes one part's document. */
    private interface Document extends java.io.Serializable {
        void write(JsonGenerator json, List<ExportedPicture> pictures) throws IOException;
    }

    private JsonDocuments() {}

    /**
     * COCO instances JSON ({@code instances.json}): {@code images} (id, file_name as the path under the run's input
     * folder, width, height), {@code categories} (id from 1, the concept's name, its model as supercategory) and
     * {@code annotations} (id, image_id, category_id, bbox {@code [x, y, w, h]} in pixels, area, iscrowd 0, score).
     * pycocotools' {@code COCO} loads it, and {@code loadRes} its annotations; FiftyOne imports it as a COCO detection
     * dataset.
     */
    static Export.Written coco(
            JavaRDD<ExportedPicture> pictures,
            Dataset<Row> regions,
            String folder,
            Export.Names names,
            Broadcast<HadoopConf> conf,
            LocalDate date,
            int perFile) {
        Map<String, Integer> categories = new LinkedHashMap<>(); // "model|concept" to id, in order
        for (Row r : (Row[]) regions.select("model_name", "concept_id", "concept_name")
                .distinct()
                .orderBy("model_name", "concept_id", "concept_name")
                .collect()) {
            categories.put(r.getString(0) + "|" + r.getString(2), categories.size() + 1);
        }
        return parts(pictures, perFile, folder, "instances", conf, (json, part) -> {
            json.writeStartObject();
            json.writeObjectFieldStart("info");
            json.writeStringField("description", "detections of " + date);
            json.writeEndObject();
            json.writeArrayFieldStart("images");
            for (ExportedPicture p : part) {
                json.writeStartObject();
                json.writeNumberField("id", p.id());
                json.writeStringField("file_name", names.of(p.source(), p.frameNumber()) + extension(p.source()));
                json.writeNumberField("width", p.width());
                json.writeNumberField("height", p.height());
                json.writeStringField("coco_url", p.source());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("categories");
            for (Map.Entry<String, Integer> c : categories.entrySet()) {
                String[] modelAndConcept = c.getKey().split("\\|", 2);
                json.writeStartObject();
                json.writeNumberField("id", c.getValue());
                json.writeStringField("name", modelAndConcept[1]);
                json.writeStringField("supercategory", modelAndConcept[0]);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("annotations");
            for (ExportedPicture p : part) {
                int n = 0;
                for (ExportedPicture.Region r : p.regions()) {
                    DrawnRegion d = r.drawn();
                    double w = d.xMax() - d.xMin();
                    double h = d.yMax() - d.yMin();
                    json.writeStartObject();
                    json.writeNumberField("id", p.id() * 100_000 + ++n);
                    json.writeNumberField("image_id", p.id());
                    json.writeNumberField("category_id", categories.get(r.model() + "|" + d.concept()));
                    json.writeArrayFieldStart("bbox");
                    for (double v : new double[] {d.xMin(), d.yMin(), w, h}) {
                        json.writeNumber(round(v));
                    }
                    json.writeEndArray();
                    json.writeNumberField("area", round(w * h));
                    json.writeNumberField("iscrowd", 0);
                    json.writeNumberField("score", round(d.score()));
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /**
     * Label Studio tasks ({@code tasks.json}), one per image, the image by its URI ({@code s3://} for S3A's): its
     * regions as {@code predictions}, one per model ({@code model_version} its name and version), each a
     * {@code rectanglelabels} result in percent of the image's size with its score. They import into a project whose
     * labeling configuration has {@code <Image name="image" value="$image"/>} and {@code <RectangleLabels
     * name="label" toName="image">} with the concepts' names.
     */
    static Export.Written labelStudio(
            JavaRDD<ExportedPicture> pictures, String folder, Broadcast<HadoopConf> conf, int perFile) {
        return parts(pictures, perFile, folder, "tasks", conf, (json, part) -> {
            json.writeStartArray();
            for (ExportedPicture p : part) {
                json.writeStartObject();
                json.writeNumberField("id", p.id());
                json.writeObjectFieldStart("data");
                json.writeStringField("image", p.source().replaceFirst("^s3a://", "s3://"));
                json.writeEndObject();
                json.writeArrayFieldStart("predictions");
                Map<String, List<ExportedPicture.Region>> byModel = new LinkedHashMap<>();
                p.regions()
                        .forEach(
                                r -> byModel.computeIfAbsent(r.model() + " " + r.modelVersion(), k -> new ArrayList<>())
                                        .add(r));
                for (Map.Entry<String, List<ExportedPicture.Region>> model : byModel.entrySet()) {
                    json.writeStartObject();
                    json.writeStringField("model_version", model.getKey());
                    json.writeNumberField(
                            "score",
                            round(model.getValue().stream()
                                    .mapToDouble(r -> r.drawn().score())
                                    .max()
                                    .orElse(0)));
                    json.writeArrayFieldStart("result");
                    for (ExportedPicture.Region r : model.getValue()) {
                        rectangle(json, p, r);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static void rectangle(JsonGenerator json, ExportedPicture p, ExportedPicture.Region r) throws IOException {
        DrawnRegion d = r.drawn();
        json.writeStartObject();
        json.writeStringField("id", r.regionId());
        json.writeStringField("type", "rectanglelabels");
        json.writeStringField("from_name", "label");
        json.writeStringField("to_name", "image");
        json.writeNumberField("original_width", p.width());
        json.writeNumberField("original_height", p.height());
        json.writeNumberField("image_rotation", 0);
        json.writeObjectFieldStart("value");
        json.writeNumberField("x", round(100 * d.xMin() / p.width()));
        json.writeNumberField("y", round(100 * d.yMin() / p.height()));
        json.writeNumberField("width", round(100 * (d.xMax() - d.xMin()) / p.width()));
        json.writeNumberField("height", round(100 * (d.yMax() - d.yMin()) / p.height()));
        json.writeNumberField("rotation", 0);
        json.writeArrayFieldStart("rectanglelabels");
        json.writeString(d.concept());
        json.writeEndArray();
        json.writeEndObject();
        json.writeNumberField("score", round(d.score()));
        json.writeEndObject();
    }

    /**
     * Writes the pictures as documents of up to {@code perFile} pictures each, a task a document:
     * {@code NAME.json}, or {@code NAME-00001-of-00003.json} and so on.
     */
    private static Export.Written parts(
            JavaRDD<ExportedPicture> pictures,
            int perFile,
            String folder,
            String name,
            Broadcast<HadoopConf> conf,
            Document document) {
        pictures.cache();
        try {
            long count = pictures.count();
            int parts = (int) Math.max(1, (count + perFile - 1) / perFile);
            pictures.keyBy(p -> (int) ((p.id() - 1) / perFile))
                    .groupByKey(parts)
                    .foreach(part -> {
                        List<ExportedPicture> in = new ArrayList<>();
                        part._2().forEach(in::add);
                        in.sort(java.util.Comparator.comparingLong(ExportedPicture::id));
                        String file = parts == 1
                                ? name + ".json"
                                : String.format("%s-%05d-of-%05d.json", name, part._1() + 1, parts);
                        write(new Path(folder, file), conf.value().get(), json -> document.write(json, in));
                    });
            return new Export.Written(count, parts);
        } finally {
            pictures.unpersist();
        }
    }

    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    static void write(Path file, Configuration conf, Body body) throws IOException {
        try (OutputStream out = Storage.readerOf(file, conf).create(file, true); // no .crc files on local disks
                JsonGenerator json = JSON.createGenerator(out)) {
            body.write(json);
        }
    }

    /** Pixels and scores to 4 decimals: what the tables hold, without float noise. */
    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /** The source's extension (a frame of a manifest keeps its image's). */
    static String extension(String source) {
        String name = source.substring(source.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot) : "";
    }
}
