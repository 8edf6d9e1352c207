/*
 * report_svg: an SVG line chart (`tifa trend --format svg` draws with it).
 *
 * How it works: a canvas 860 px wide and 460 px high (taller when the legend needs it): plot area
 * on the left, legend on the right. The y axis runs from 0 to the smallest "nice" number (1, 2, 2.5
 * or 5 × 10^k) at or above the largest value, with 5 ticks; x labels (periods) are spaced evenly on
 * the x axis, or in proportion to x_pos when given (labels thinned and slanted when there are
 * many). Each series (term) is one polyline
 * plus one <circle> per point carrying data-term / data-period / data-value (the value as given,
 * %.12g), in the colour of its legend entry (10 colours, then dashed lines for the next 10, and so
 * on). Text is XML-escaped; strings that are not UTF-8 are sanitized first. No scripts, no external
 * resources: any browser or rsvg-convert renders it.
 */
#include <math.h>
#include <string.h>

#include "tifa/report_svg.h"

#include "tifa/report.h"

#define W 860.0
#define MIN_H 460.0
#define LEFT 70.0
#define TOP 50.0
#define RIGHT 240.0
#define BOTTOM 90.0
#define FONT                                                                                       \
    "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"

static const char *const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

static void esc(struct sbuf *out, const char *s)
{
    struct sbuf clean = SBUF_INIT;
    report_utf8_sanitize(&clean, s);
    for (const char *p = clean.buf; *p; p++) {
        switch (*p) {
        case '&': sbuf_addstr(out, "&amp;"); break;
        case '<': sbuf_addstr(out, "&lt;"); break;
        case '>': sbuf_addstr(out, "&gt;"); break;
        case '"': sbuf_addstr(out, "&quot;"); break;
        default:
            /* control characters are not allowed in XML 1.0 */
            sbuf_addch(out, (unsigned char)*p < 0x20 ? ' ' : *p);
        }
    }
    sbuf_release(&clean);
}

static double nice_max(double v)
{
    static const double steps[] = {1.0, 2.0, 2.5, 5.0, 10.0};
    if (!(v > 0))
        return 1.0;
    double mag = pow(10.0, floor(log10(v)));
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] * mag >= v * (1 - 1e-12))
            return steps[i] * mag;
    return 10.0 * mag;
}

/* The x of point @i: evenly spaced, or in proportion to x_pos between the first and last. */
static double x_at(const struct report_svg_chart *c, size_t i, double pw)
{
    size_t np = c->nx;
    if (np < 2)
        return LEFT + pw / 2;
    if (c->x_pos && c->x_pos[np - 1] > c->x_pos[0])
        return LEFT + pw * (c->x_pos[i] - c->x_pos[0]) / (c->x_pos[np - 1] - c->x_pos[0]);
    return LEFT + pw * (double)i / (double)(np - 1);
}

void report_svg_chart(FILE *out, const struct report_svg_chart *c)
{
    size_t np = c->nx;
    double H = TOP + 20.0 * (double)c->nseries + 20.0;
    if (H < MIN_H)
        H = MIN_H;
    double pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM, vmax = 0;
    struct sbuf sb = SBUF_INIT;

    for (size_t k = 0; k < c->nseries; k++)
        for (size_t i = 0; i < np; i++)
            if (c->series[k].values[i] > vmax)
                vmax = c->series[k].values[i];
    double ymax = nice_max(vmax);
    if (c->y_cap > 0 && ymax > c->y_cap)
        ymax = c->y_cap;

    sbuf_addf(&sb,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
              "viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\" font-size=\"12\">\n",
              W, H, W, H, FONT);
    sbuf_addstr(&sb, "<title>");
    esc(&sb, c->title);
    sbuf_addstr(&sb, "</title>\n");
    sbuf_addf(&sb, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", W, H);
    sbuf_addf(&sb, "<text x=\"%.1f\" y=\"24\" font-size=\"15\" text-anchor=\"middle\">",
              LEFT + pw / 2);
    esc(&sb, c->heading);
    sbuf_addstr(&sb, "</text>\n");

    /* y axis: grid lines, ticks and labels */
    sbuf_addstr(&sb, "<g class=\"y-axis\" stroke=\"#dddddd\">\n");
    for (int j = 0; j <= 5; j++) {
        double v = ymax * j / 5.0, y = TOP + ph - ph * j / 5.0;
        sbuf_addf(&sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", LEFT, y,
                  LEFT + pw, y);
        sbuf_addf(&sb,
                  "<text x=\"%.1f\" y=\"%.1f\" stroke=\"none\" fill=\"#333333\" "
                  "text-anchor=\"end\">%g</text>\n",
                  LEFT - 6, y + 4, v);
    }
    sbuf_addstr(&sb, "</g>\n");
    sbuf_addf(&sb, "<text transform=\"translate(18 %.1f) rotate(-90)\" text-anchor=\"middle\">",
              TOP + ph / 2);
    esc(&sb, c->y_title);
    sbuf_addstr(&sb, "</text>\n");

    /* x axis */
    size_t step = np > 25 ? (np + 24) / 25 : 1;
    int slant = np > 10;
    sbuf_addf(
        &sb,
        "<g class=\"x-axis\" stroke=\"#333333\">\n<line x1=\"%.1f\" y1=\"%.1f\" "
        "x2=\"%.1f\" y2=\"%.1f\"/>\n<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
        LEFT, TOP + ph, LEFT + pw, TOP + ph, LEFT, TOP, LEFT, TOP + ph);
    for (size_t i = 0; i < np; i++) {
        double x = x_at(c, i, pw);
        sbuf_addf(&sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x, TOP + ph, x,
                  TOP + ph + 4);
        if (i % step)
            continue;
        if (slant)
            sbuf_addf(&sb,
                      "<text transform=\"translate(%.1f %.1f) rotate(-45)\" stroke=\"none\" "
                      "fill=\"#333333\" text-anchor=\"end\">",
                      x + 4, TOP + ph + 16);
        else
            sbuf_addf(&sb,
                      "<text x=\"%.1f\" y=\"%.1f\" stroke=\"none\" fill=\"#333333\" "
                      "text-anchor=\"middle\">",
                      x, TOP + ph + 18);
        esc(&sb, c->x_labels[i]);
        sbuf_addstr(&sb, "</text>\n");
    }
    sbuf_addstr(&sb, "</g>\n");
    sbuf_addf(&sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", LEFT + pw / 2, H - 12);
    esc(&sb, c->x_title);
    sbuf_addstr(&sb, "</text>\n");

    /* one line per term, then the legend */
    for (size_t k = 0; k < c->nseries; k++) {
        const char *term = c->series[k].name, *color = palette[k % 10];
        const char *dash = (k / 10) % 2 ? " stroke-dasharray=\"6 3\"" : "";
        sbuf_addstr(&sb, "<g class=\"series\" data-term=\"");
        esc(&sb, term);
        sbuf_addf(&sb, "\">\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
                  color, dash);
        for (size_t i = 0; i < np; i++) {
            double x = x_at(c, i, pw);
            double y = TOP + ph - ph * c->series[k].values[i] / ymax;
            sbuf_addf(&sb, "%s%.1f,%.1f", i ? " " : "", x, y);
        }
        sbuf_addstr(&sb, "\"/>\n");
        for (size_t i = 0; i < np; i++) {
            double v = c->series[k].values[i];
            double x = x_at(c, i, pw);
            double y = TOP + ph - ph * v / ymax;
            sbuf_addf(&sb, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" data-term=\"", x, y,
                      color);
            esc(&sb, term);
            sbuf_addstr(&sb, "\" data-period=\"");
            esc(&sb, c->x_labels[i]);
            sbuf_addf(&sb, "\" data-value=\"%.12g\"/>\n", v);
        }
        sbuf_addstr(&sb, "</g>\n");
        double ly = TOP + 10 + 20.0 * (double)k;
        sbuf_addf(&sb,
                  "<g class=\"legend\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                  "stroke=\"%s\" stroke-width=\"2\"%s/><text x=\"%.1f\" y=\"%.1f\">",
                  W - RIGHT + 20, ly, W - RIGHT + 44, ly, color, dash, W - RIGHT + 50, ly + 4);
        esc(&sb, term);
        sbuf_addstr(&sb, "</text></g>\n");
    }
    if (!c->nseries) {
        sbuf_addf(&sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", LEFT + pw / 2,
                  TOP + ph / 2);
        esc(&sb, c->empty);
        sbuf_addstr(&sb, "</text>\n");
    }
    sbuf_addstr(&sb, "</svg>\n");
    fwrite(sb.buf, 1, sb.len, out);
    sbuf_release(&sb);
}
