/*
 * report_svg: a self-contained SVG line chart of a few series over labelled x positions.
 *
 * Owns: the drawing (canvas, axes, ticks, polylines, points, legend). It draws the numbers it
 * is given: the caller computes and rounds them. Must not: know what the series mean (trend's
 * reporter fills in the words). Every plotted point is a <circle> carrying data-term,
 * data-period and data-value (the value given, %.12g), so tests and scripts can check the
 * drawing against the data. No scripts, fonts by family name only.
 */
#ifndef TIFA_REPORT_SVG_H
#define TIFA_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>

struct report_svg_series {
    const char *name;     /* legend text and data-term */
    const double *values; /* one per x label, >= 0 */
};

struct report_svg_chart {
    const char *title;   /* the document's <title> */
    const char *heading; /* the line above the plot */
    const char *y_title, *x_title;
    const char *empty; /* written in the plot when there is no series */
    const char *const *x_labels;
    size_t nx;
    const struct report_svg_series *series;
    size_t nseries;
    double y_cap;        /* the y axis ends at most here (shares: 1); 0 = no cap */
    const double *x_pos; /* one per x label, ascending: the x axis is proportional to them
                            (time: gaps show as gaps); NULL = evenly spaced */
};

/** Writes the chart to @out; every string is borrowed and XML-escaped as written. */
void report_svg_chart(FILE *out, const struct report_svg_chart *c);

#endif
