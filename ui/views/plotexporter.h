// SPDX-License-Identifier: MIT
#pragma once

#include "views/figuretheme.h"

#include <QImage>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <functional>

namespace mlastudio::ui {

class PlotView;

/** How a figure is exported. */
struct ExportOptions {
    /** Size presets: "single-column" (3.5 × 2.6 in), "double-column" (7.16 × 3.5 in),
     *  "slide" (13.33 × 7.5 in), "custom" (use sizeInches or sizePixels). */
    QString sizePreset = QStringLiteral("single-column");
    QSizeF sizeInches;          //!< custom size in inches (used when sizePixels is not set, i.e. invalid)
    QSize sizePixels;           //!< custom size in pixels (PNG: exact; PDF/SVG: divided by dpi); QSize() = not set
    double dpi = 300.0;         //!< PNG resolution; also the pixel/inch conversion
    ThemeId theme = ThemeId::Paper;
    QString format;             //!< "pdf", "svg" or "png"; empty: from the file suffix

    /** \return the preset names accepted by sizePreset. */
    static QStringList sizePresetNames();
    /** \return the figure size in inches for these options. */
    QSizeF resolvedSizeInches() const;
    /** \return the figure size in pixels at dpi (what a PNG export produces). */
    QSize resolvedSizePixels() const;
    /** \return the size as `--size` spells it: a preset name, "WxHin" or "WxHpx". */
    QString sizeString() const;
    /** Sets the size from a preset name, "WxHin" or "WxHpx" (both greater than 0; pixels whole).
     *  \return false (and changes nothing, with the reason in \p error) otherwise. */
    bool setSizeString(const QString &text, QString *error = nullptr);
};

/** The largest PNG export: 100 megapixels (400 MB of pixels while painting). */
inline constexpr int kMaxMegapixels = 100;
/** The largest pixel width or height `--size WxHpx` accepts. */
inline constexpr int kMaxPixelsEachWay = 100000;

/**
 * Writes figures and the data behind them. Every figure and data file is rendered in memory and
 * written with writeFileAtomically(): no partial file is left, and on error the old one is unchanged.
 */
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
    /** Called by renderImage() after painting, while the view is still laid out at the export size
     *  and in the export theme (the layout test reads the item rectangles there). */
    using Inspector = std::function<void(PlotView *view, const QSize &logicalSize)>;
    /** renderImage() that calls \p inspect after painting. */
    static QImage renderImage(PlotView *view, const ExportOptions &options, const Inspector &inspect);
    /** \return why \p options cannot be rendered (resolution or size out of range, size not
     *  greater than 0, or for \p format "png" more than kMaxMegapixels), or empty. */
    static QString validate(const ExportOptions &options, const QString &format = {});
    /** \return the figure format for \p path: options.format if set, else the suffix, lower case. */
    static QString figureFormat(const QString &path, const ExportOptions &options);
    /** Renders the figure into the bytes of a \p format ("pdf", "svg", "png") file, exactly what
     *  exportPlot() writes. \return the bytes, or empty with the reason in \p error. */
    static QByteArray renderPlot(PlotView *view, const ExportOptions &options, const QString &format, QString *error);
    /** The bytes exportData() writes for \p format "csv" or "json"; empty with \p error on failure. */
    static QByteArray renderData(PlotView *view, const QString &format, QString *error);
    /** Writes the series behind the figure as CSV (with a "# scenario: {json}" first line) or as
     *  JSON (scenario embedded), chosen by the suffix. \return error message or empty. */
    static QString exportData(PlotView *view, const QString &path);
};

} // namespace mlastudio::ui
