package dev.inspection.detect;

import java.io.Serializable;

/**
 * What a detector format reads of its model, found in the signature once on the driver.
 *
 * @param imageInput the input that takes the pictures
 * @param imageRank 4 where the image input has a batch axis, 3 where it takes one picture
 * @param sizesInput the input that takes each picture's (width, height), or -1 where the model has none
 * @param outputs the outputs the format reads, in the order its decode takes them
 * @param strides the grid strides of formats that decode per grid cell; empty for the others
 * @param classes the class count the outputs' shapes give, or -1 where they do not
 * @param bins the bins per box side of a distribution head (NanoDet's reg_max + 1); 0 for the others
 * @param inputWidth the model input's width in pixels (of the picture's own where the model takes any size)
 */
public record Head(
        int imageInput,
        int imageRank,
        int sizesInput,
        int[] outputs,
        int[] strides,
        int classes,
        int bins,
        int inputWidth,
        int inputHeight)
        implements Serializable {

    Head(int sizesInput, int[] outputs, int[] strides, int classes, int bins) {
        this(0, 4, sizesInput, outputs, strides, classes, bins, 0, 0);
    }

    /** One output of a single-output format. */
    public static Head of(int output, int classes) {
        return new Head(-1, new int[] {output}, new int[0], classes, 0);
    }

    Head sized(int width, int height) {
        return new Head(imageInput, imageRank, sizesInput, outputs, strides, classes, bins, width, height);
    }

    Head image(int input, int rank) {
        return new Head(input, rank, sizesInput, outputs, strides, classes, bins, inputWidth, inputHeight);
    }
}
