// SPDX-License-Identifier: MIT
#pragma once

#include "views/figuretheme.h"

#include <QImage>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <optional>

class QCPPainter;

namespace mlastudio::ui {

class PlotView;

/** What a file is written as: a figure (PDF, SVG, PNG) or the data behind it (CSV, JSON). */
enum class ExportFormat {
    Pdf,
    Svg,
    Png,
    Csv,
    Json,
};

/** Every export format, figures first (the order of the export dialog). */
inline constexpr std::array kAllExportFormats{ExportFormat::Pdf, ExportFormat::Svg, ExportFormat::Png,
                                              ExportFormat::Csv, ExportFormat::Json};

/** \return the file suffix of a format, e.g. "pdf" (also its name in settings). */
QString exportFormatSuffix(ExportFormat format);
/** \return the format of a file suffix, case-insensitive ("PDF" is Pdf), or std::nullopt. */
std::optional<ExportFormat> exportFormatFromSuffix(const QString &suffix);
/** \return true for PDF, SVG and PNG, false for the data formats. */
bool isFigureFormat(ExportFormat format);

/** Figure sizes: single column (3.5 × 2.6 in), double column (7.16 × 3.5 in), a 16:9 slide
 *  (13.33 × 7.5 in), or a custom size in inches or pixels. */
enum class SizePreset {
    SingleColumn,
    DoubleColumn,
    Slide,
    Custom,
};

/** \return the name `--size` and settings use: "single-column", "double-column", "slide", "custom". */
QString sizePresetName(SizePreset preset);
/** \return the preset of a name, or std::nullopt. */
std::optional<SizePreset> sizePresetFromName(const QString &name);

/** How a figure is exported. */
struct ExportOptions {
    SizePreset sizePreset = SizePreset::SingleColumn;
    QSizeF sizeInches;          //!< custom size in inches (used when sizePixels is not set, i.e. invalid)
    QSize sizePixels;           //!< custom size in pixels (PNG: exact; PDF/SVG: divided by dpi); QSize() = not set
    double dpi = 300.0;         //!< PNG resolution; also the pixel/inch conversion
    ThemeId theme = ThemeId::Paper;
    std::optional<ExportFormat> format; //!< a figure format; std::nullopt: from the file suffix

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
     *  greater than 0, or for \p format PNG more than kMaxMegapixels), or empty. */
    static QString validate(const ExportOptions &options, std::optional<ExportFormat> format = std::nullopt);
    /** \return the format for \p path: options.format if set, else the file's suffix (std::nullopt
     *  for an unknown one). */
    static std::optional<ExportFormat> figureFormat(const QString &path, const ExportOptions &options);
    /** Renders the figure into the bytes of a \p format (PDF, SVG or PNG) file, exactly what
     *  exportPlot() writes. \return the bytes, or empty with the reason in \p error. */
    static QByteArray renderPlot(PlotView *view, const ExportOptions &options, ExportFormat format, QString *error);
    /** Paints the figure as the PDF export does, \p logicalSize in 1/96 in, in the theme \p theme,
     *  into \p painter's current coordinates. For
     *  documents of several figures (a deck's handout). */
    static void paintFigure(PlotView *view, QCPPainter *painter, const QSize &logicalSize, ThemeId theme);
    /** The bytes exportData() writes for \p format CSV or JSON; empty with \p error on failure. */
    static QByteArray renderData(PlotView *view, ExportFormat format, QString *error);
    /** Writes the series behind the figure as CSV (with a "# scenario: {json}" first line) or as
     *  JSON (scenario embedded), chosen by the suffix. \return error message or empty. */
    static QString exportData(PlotView *view, const QString &path);
};

} // namespace mlastudio::ui
