package dev.inspection.model;

import java.util.List;
import java.util.Locale;

/**
 * Class lists that exports often leave out of their files, named in {@code model.json}'s {@code classes}: COCO's 80
 * (Ultralytics' spelling, index = the 0-based class id most detectors output) and COCO's 91 category ids (index = the
 * id torchvision's detectors and the TensorFlow Object Detection API output, with "N/A" at ids COCO does not use and
 * "background" at 0).
 */
public final class WellKnownClasses {

    /** COCO's category ids 1..90 (and 0), as torchvision's {@code COCO_V1} weights name them. */
    public static final List<String> COCO91 = List.of(
            "background",
            "person",
            "bicycle",
            "car",
            "motorcycle",
            "airplane",
            "bus",
            "train",
            "truck",
            "boat",
            "traffic light",
            "fire hydrant",
            "N/A",
            "stop sign",
            "parking meter",
            "bench",
            "bird",
            "cat",
            "dog",
            "horse",
            "sheep",
            "cow",
            "elephant",
            "bear",
            "zebra",
            "giraffe",
            "N/A",
            "backpack",
            "umbrella",
            "N/A",
            "N/A",
            "handbag",
            "tie",
            "suitcase",
            "frisbee",
            "skis",
            "snowboard",
            "sports ball",
            "kite",
            "baseball bat",
            "baseball glove",
            "skateboard",
            "surfboard",
            "tennis racket",
            "bottle",
            "N/A",
            "wine glass",
            "cup",
            "fork",
            "knife",
            "spoon",
            "bowl",
            "banana",
            "apple",
            "sandwich",
            "orange",
            "broccoli",
            "carrot",
            "hot dog",
            "pizza",
            "donut",
            "cake",
            "chair",
            "couch",
            "potted plant",
            "bed",
            "N/A",
            "dining table",
            "N/A",
            "N/A",
            "toilet",
            "N/A",
            "tv",
            "laptop",
            "mouse",
            "remote",
            "keyboard",
            "cell phone",
            "microwave",
            "oven",
            "toaster",
            "sink",
            "refrigerator",
            "N/A",
            "book",
            "clock",
            "vase",
            "scissors",
            "teddy bear",
            "hair drier",
            "toothbrush");

    /** COCO's 80 classes in their ids' order: the 91 ids without background and the unused ones. */
    public static final List<String> COCO80 = COCO91.stream()
            .filter(name -> !name.equals("background") && !name.equals("N/A"))
            .toList();

    private WellKnownClasses() {}

    /** The list a name stands for. */
    public static List<String> named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "coco80", "coco" -> COCO80;
            case "coco91" -> COCO91;
            default ->
                throw new IllegalArgumentException(ModelDescriptor.FILE_NAME + ": unknown class list '" + name
                        + "': give a list of names, or coco80 or coco91");
        };
    }
}
