package dev.inspection.eval;

/** A cell of a detection confusion matrix: the predicted and actual concept ({@code background} for none). */
public record ConfusionCell(String predicted, String actual) {}
