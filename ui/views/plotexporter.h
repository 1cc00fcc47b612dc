// SPDX-License-Identifier: MIT
#pragma once

#include "views/figuretheme.h"

#include <QImage>
#include <QSizeF>
#include <QString>
#include <QStringList>

namespace mlastudio::ui {

class PlotView;

/** How a figure is exported. */
struct ExportOptions {
    /** Size presets: "single-column" (3.5 × 2.6 in), "double-column" (7.16 × 3.5 in),
     *  "slide" (13.33 × 7.5 in), "custom" (use sizeInches or sizePixels). */
    QString sizePreset = QStringLiteral("single-column");
    QSizeF sizeInches;          //!< custom size in inches (used when sizePixels is empty)
    QSize sizePixels;           //!< custom size in pixels (PNG: exact; PDF/SVG: divided by dpi)
    double dpi = 300.0;         //!< PNG resolution; also the pixel/inch conversion
    QString theme = QStringLiteral("paper"); //!< a FigureTheme preset name
    QString format;             //!< "pdf", "svg" or "png"; empty: from the file suffix

    /** \return the preset names accepted by sizePreset. */
    static QStringList sizePresetNames();
    /** \return the figure size in inches for these options. */
    QSizeF resolvedSizeInches() const;
    /** \return the figure size in pixels at dpi (what a PNG export produces). */
    QSize resolvedSizePixels() const;
    /** \return the size as `--size` spells it: a preset name, "WxHin" or "WxHpx". */
    QString sizeString() const;
    /** Sets the size from a preset name, "WxHin" or "WxHpx". \return false (and changes nothing) otherwise. */
    bool setSizeString(const QString &text);
};

/** Writes figures and the data behind them. Every write is atomic: no partial file is left. */
class PlotExporter final
{
public:
    /** Exports the view's figure as PDF (vector), SVG (vector) or PNG. \return error message or empty. */
    static QString exportPlot(PlotView *view, const QString &path, const ExportOptions &options);
    /** Renders the view's figure as exportPlot() writes it to PNG: resolvedSizePixels() large, in
     *  the options' theme, dots per metre set from dpi. The PNG export saves exactly this image, so
     *  previews and clipboard copies show the pixels of the file. \return a null image if the view
     *  is null or the size or resolution is out of range (see validate()). */
    static QImage renderImage(PlotView *view, const ExportOptions &options);
    /** \return why \p options cannot be rendered (resolution or size out of range), or empty. */
    static QString validate(const ExportOptions &options);
    /** Writes the series behind the figure as CSV (with a "# scenario: {json}" first line) or as
     *  JSON (scenario embedded), chosen by the suffix. \return error message or empty. */
    static QString exportData(PlotView *view, const QString &path);
};

} // namespace mlastudio::ui
