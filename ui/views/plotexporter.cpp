// SPDX-License-Identifier: MIT
#include "views/plotexporter.h"

#include "atomicwrite.h"
#include "scenario.h"
#include "views/plotview.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace mlastudio::ui {

namespace {

// Layout happens in logical units of 1/96 in, so fonts in points and pens in pixels keep their
// physical size at any resolution.
constexpr double kLogicalDpi = 96.0;

// The suffix as typed, for errors about a file name.
QString suffixOf(const QString &path)
{
    return QFileInfo(path).suffix().toLower();
}

QString openError(const QString &path, const QString &why)
{
    return QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), why);
}

// Turns QCustomPlot's tick-label pixmap cache off while exporting. Axis margins are measured from
// cached pixmaps when there are any, and a view on screen has them from its last screen replot
// (screen theme, screen pixel ratio, rounded to whole device pixels).
class LabelCacheGuard
{
public:
    explicit LabelCacheGuard(QCustomPlot *plot)
        : m_plot(plot)
        , m_cached(plot->plottingHints().testFlag(QCP::phCacheLabels))
    {
        m_plot->setPlottingHint(QCP::phCacheLabels, false);
    }
    ~LabelCacheGuard() { m_plot->setPlottingHint(QCP::phCacheLabels, m_cached); }
    LabelCacheGuard(const LabelCacheGuard &) = delete;
    LabelCacheGuard &operator=(const LabelCacheGuard &) = delete;

private:
    QCustomPlot *m_plot;
    bool m_cached;
};

// Applies a theme for the export and restores the screen theme when it goes out of scope.
class ThemeGuard
{
public:
    ThemeGuard(PlotView *view, const FigureTheme &theme)
        : m_view(view)
        , m_saved(view->theme())
        , m_hints(view->plot()->plottingHints())
    {
        m_view->plot()->deselectAll();
        m_view->plot()->setPlottingHints(m_hints & ~QCP::PlottingHints(QCP::phFastPolylines));  // full-quality joins
        m_view->applyTheme(theme);
    }
    ~ThemeGuard()
    {
        m_view->plot()->setPlottingHints(m_hints);
        m_view->applyTheme(m_saved);
        m_view->arrangeForSize(m_view->plot()->size());  // back to the on-screen arrangement
    }
    ThemeGuard(const ThemeGuard &) = delete;
    ThemeGuard &operator=(const ThemeGuard &) = delete;

private:
    PlotView *m_view;
    FigureTheme m_saved;
    QCP::PlottingHints m_hints;
};

// Makes every axis measure its margin again at the next layout.
void invalidateMargins(QCustomPlot *plot)
{
    for (QCPAxisRect *rect : plot->axisRects()) {
        for (QCPAxis *axis : rect->axes()) {
            const int padding = axis->padding();
            axis->setPadding(padding + 1);  // any change of padding drops the cached margin
            axis->setPadding(padding);
        }
    }
}

// Lays the plot out at the export size (so pixel-placed labels can be placed), then renders.
void render(PlotView *view, QCPPainter *painter, int w, int h)
{
    // Exports are antialiased even while a slider is held (drag mode draws the screen fast).
    const bool dragMode = view->dragMode();
    view->setDragMode(false);
    const auto restoreDragMode = qScopeGuard([view, dragMode] { view->setDragMode(dragMode); });
    view->arrangeForSize(QSize(w, h));
    const auto layoutPass = [view, w, h] {
        QPicture scratch;
        QCPPainter layoutPainter(&scratch);
        layoutPainter.setMode(QCPPainter::pmVectorized);
        view->plot()->toPainter(&layoutPainter, w, h);
    };
    // QCustomPlot caches each axis' margin and measures it with state that only drawing sets (a log
    // axis measures "1·10ⁿ" tick labels until its first draw, then "10ⁿ"). A view that was never
    // drawn (headless export) would get wider margins than one shown on screen, so draw once,
    // measure again, and only then lay out the pixel-placed labels.
    layoutPass();
    invalidateMargins(view->plot());
    layoutPass();
    view->beforeRender();
    painter->setMode(QCPPainter::pmVectorized);
    painter->setMode(QCPPainter::pmNoCaching);
    view->plot()->toPainter(painter, w, h);
}

} // namespace

QString exportFormatSuffix(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Pdf: return QStringLiteral("pdf");
    case ExportFormat::Svg: return QStringLiteral("svg");
    case ExportFormat::Png: return QStringLiteral("png");
    case ExportFormat::Csv: return QStringLiteral("csv");
    case ExportFormat::Json: return QStringLiteral("json");
    }
    return {};
}

std::optional<ExportFormat> exportFormatFromSuffix(const QString &suffix)
{
    for (ExportFormat f : kAllExportFormats)
        if (suffix.compare(exportFormatSuffix(f), Qt::CaseInsensitive) == 0)
            return f;
    return std::nullopt;
}

bool isFigureFormat(ExportFormat format)
{
    return format == ExportFormat::Pdf || format == ExportFormat::Svg || format == ExportFormat::Png;
}

QString sizePresetName(SizePreset preset)
{
    switch (preset) {
    case SizePreset::SingleColumn: return QStringLiteral("single-column");
    case SizePreset::DoubleColumn: return QStringLiteral("double-column");
    case SizePreset::Slide: return QStringLiteral("slide");
    case SizePreset::Custom: return QStringLiteral("custom");
    }
    return {};
}

std::optional<SizePreset> sizePresetFromName(const QString &name)
{
    for (SizePreset p : {SizePreset::SingleColumn, SizePreset::DoubleColumn, SizePreset::Slide, SizePreset::Custom})
        if (name == sizePresetName(p))
            return p;
    return std::nullopt;
}

QStringList ExportOptions::sizePresetNames()
{
    return {sizePresetName(SizePreset::SingleColumn), sizePresetName(SizePreset::DoubleColumn),
            sizePresetName(SizePreset::Slide), sizePresetName(SizePreset::Custom)};
}

QSizeF ExportOptions::resolvedSizeInches() const
{
    switch (sizePreset) {
    case SizePreset::SingleColumn: return {3.5, 2.6};
    case SizePreset::DoubleColumn: return {7.16, 3.5};
    case SizePreset::Slide: return {13.33, 7.5};
    case SizePreset::Custom: break;
    }
    // A custom size that is set is used as it is (validate() refuses zero), never replaced by the default.
    if (sizePixels.isValid() && dpi > 0.0)
        return {sizePixels.width() / dpi, sizePixels.height() / dpi};
    if (sizeInches.isValid())
        return sizeInches;
    return {3.5, 2.6};
}

QSize ExportOptions::resolvedSizePixels() const
{
    if (sizePreset == SizePreset::Custom && sizePixels.isValid())
        return sizePixels;
    const QSizeF in = resolvedSizeInches();
    return {int(std::lround(std::min(in.width() * dpi, 1e9))), int(std::lround(std::min(in.height() * dpi, 1e9)))};
}

QString ExportOptions::sizeString() const
{
    if (sizePreset != SizePreset::Custom)
        return sizePresetName(sizePreset);
    if (sizePixels.isValid())
        return QStringLiteral("%1x%2px").arg(sizePixels.width()).arg(sizePixels.height());
    const QSizeF in = resolvedSizeInches();
    return QStringLiteral("%1x%2in").arg(in.width()).arg(in.height());
}

bool ExportOptions::setSizeString(const QString &text, QString *error)
{
    static const QRegularExpression custom(QStringLiteral("^([-+]?[0-9]*\\.?[0-9]+)x([-+]?[0-9]*\\.?[0-9]+)(in|px)$"));
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (const std::optional<SizePreset> preset = sizePresetFromName(text); preset && *preset != SizePreset::Custom) {
        sizePreset = *preset;
        return true;
    }
    const QRegularExpressionMatch m = custom.match(text);
    if (!m.hasMatch())
        return fail(QObject::tr("expected single-column, double-column, slide, WxHin or WxHpx, got '%1'").arg(text));
    const double w = m.captured(1).toDouble(), h = m.captured(2).toDouble();
    if (!(w > 0.0 && h > 0.0))
        return fail(QObject::tr("'%1': the width and the height must be greater than 0").arg(text));
    const bool inches = m.captured(3) == QLatin1String("in");
    if (!inches && (w != std::floor(w) || h != std::floor(h) || w > kMaxPixelsEachWay || h > kMaxPixelsEachWay))
        return fail(QObject::tr("'%1': pixel sizes are whole numbers from 1 to %2").arg(text).arg(kMaxPixelsEachWay));
    sizePreset = SizePreset::Custom;
    if (inches) {
        sizeInches = QSizeF(w, h);
        sizePixels = QSize();
    } else {
        sizePixels = QSize(int(w), int(h));
    }
    return true;
}

QString PlotExporter::validate(const ExportOptions &o, std::optional<ExportFormat> format)
{
    if (!(o.dpi >= 10.0 && o.dpi <= 2400.0))
        return QObject::tr("Resolution %1 dpi is out of range (10 to 2400)").arg(o.dpi);
    const QSizeF inches = o.resolvedSizeInches();
    if (!(inches.width() > 0.0 && inches.height() > 0.0))
        return QObject::tr("Figure size %1 × %2 in: the width and the height must be greater than 0")
            .arg(inches.width()).arg(inches.height());
    if (!(inches.width() > 0.2 && inches.height() > 0.2 && inches.width() < 100 && inches.height() < 100))
        return QObject::tr("Figure size %1 × %2 in is out of range (more than 0.2 and less than 100 in each way)")
            .arg(inches.width()).arg(inches.height());
    if (format == ExportFormat::Png) {
        const QSize px = o.resolvedSizePixels();
        const double megapixels = double(px.width()) * double(px.height()) / 1e6;
        if (megapixels > kMaxMegapixels)
            return QObject::tr("A %1 × %2 pixel PNG is %3 megapixels, more than the limit of %4. Lower the "
                               "resolution or the size, or export a PDF or SVG: they are vector files, sharp "
                               "at any size, with no pixel limit")
                .arg(px.width()).arg(px.height()).arg(megapixels, 0, 'f', 0).arg(kMaxMegapixels);
    }
    return {};
}

QImage PlotExporter::renderImage(PlotView *view, const ExportOptions &o)
{
    return renderImage(view, o, {});
}

QImage PlotExporter::renderImage(PlotView *view, const ExportOptions &o, const Inspector &inspect)
{
    if (!view || !validate(o, ExportFormat::Png).isEmpty())
        return {};
    const QSizeF inches = o.resolvedSizeInches();
    const int w = int(std::lround(inches.width() * kLogicalDpi));
    const int h = int(std::lround(inches.height() * kLogicalDpi));
    const QSize px = o.resolvedSizePixels();
    QImage image(px, QImage::Format_ARGB32);
    if (image.isNull())
        return {};  // too large to allocate
    const LabelCacheGuard noCache(view->plot());
    const ThemeGuard guard(view, FigureTheme::preset(o.theme));
    image.fill(view->theme().background);
    image.setDotsPerMeterX(int(std::lround(kLogicalDpi / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(kLogicalDpi / 0.0254)));
    {
        QCPPainter painter;
        if (!painter.begin(&image))
            return {};
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.scale(double(px.width()) / w, double(px.height()) / h);
        render(view, &painter, w, h);
        painter.end();
    }
    if (inspect)
        inspect(view, QSize(w, h));
    image.setDotsPerMeterX(int(std::lround(o.dpi / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(o.dpi / 0.0254)));
    return image;
}

std::optional<ExportFormat> PlotExporter::figureFormat(const QString &path, const ExportOptions &options)
{
    return options.format ? options.format : exportFormatFromSuffix(suffixOf(path));
}

QByteArray PlotExporter::renderPlot(PlotView *view, const ExportOptions &o, ExportFormat format, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return QByteArray();
    };
    if (!view)
        return fail(QObject::tr("No view to export"));
    if (!isFigureFormat(format))
        return fail(QObject::tr("\"%1\" is not a figure format (use .pdf, .svg or .png)").arg(exportFormatSuffix(format)));
    if (const QString invalid = validate(o, format); !invalid.isEmpty())
        return fail(invalid);
    const QSizeF inches = o.resolvedSizeInches();
    const int w = int(std::lround(inches.width() * kLogicalDpi));
    const int h = int(std::lround(inches.height() * kLogicalDpi));

    // Everything is rendered into memory; only writeFileAtomically() touches the file.
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (format == ExportFormat::Png) {
        // The same pixels as previews and clipboard copies.
        const QImage image = renderImage(view, o);
        if (image.isNull())
            return fail(QObject::tr("cannot paint a %1 × %2 pixel image (not enough memory)")
                            .arg(o.resolvedSizePixels().width()).arg(o.resolvedSizePixels().height()));
        if (!image.save(&buffer, "PNG"))
            return fail(QObject::tr("cannot encode the PNG image"));
    } else {
        const LabelCacheGuard noCache(view->plot());
        const ThemeGuard guard(view, FigureTheme::preset(o.theme));
        const QString title = view->title();
        // Both vector formats render the same way; only the paint device differs.
        const auto paintOn = [&](QPaintDevice *device) {
            QCPPainter painter;
            if (!painter.begin(device))
                return false;
            render(view, &painter, w, h);
            return painter.end();
        };
        if (format == ExportFormat::Pdf) {
            QPdfWriter writer(&buffer);
            writer.setCreator(QStringLiteral("MLA Studio"));
            writer.setTitle(title);
            writer.setResolution(int(kLogicalDpi));
            writer.setPageSize(QPageSize(inches, QPageSize::Inch, QString(), QPageSize::ExactMatch));
            writer.setPageMargins(QMarginsF(0, 0, 0, 0));
            if (!paintOn(&writer))
                return fail(QObject::tr("cannot render the PDF"));
        } else {
            QSvgGenerator gen;
            gen.setOutputDevice(&buffer);
            gen.setSize(QSize(w, h));
            gen.setViewBox(QRect(0, 0, w, h));
            gen.setResolution(int(kLogicalDpi));
            gen.setTitle(title);
            gen.setDescription(QStringLiteral("MLA Studio figure"));
            if (!paintOn(&gen))
                return fail(QObject::tr("cannot render the SVG"));
        }
    }
    if (buffer.data().isEmpty())
        return fail(QObject::tr("the %1 renderer produced no data").arg(exportFormatSuffix(format).toUpper()));
    return buffer.data();
}

void PlotExporter::paintFigure(PlotView *view, QCPPainter *painter, const QSize &logicalSize, ThemeId theme)
{
    if (!view || !painter || logicalSize.isEmpty())
        return;
    const LabelCacheGuard noCache(view->plot());
    const ThemeGuard guard(view, FigureTheme::preset(theme));
    render(view, painter, logicalSize.width(), logicalSize.height());
}

QString PlotExporter::exportPlot(PlotView *view, const QString &path, const ExportOptions &o)
{
    if (!view)
        return QObject::tr("No view to export");
    const std::optional<ExportFormat> format = figureFormat(path, o);
    if (!format || !isFigureFormat(*format))
        return QObject::tr("Unknown figure format \"%1\" for %2 (use .pdf, .svg or .png)")
            .arg(format ? exportFormatSuffix(*format) : suffixOf(path), QDir::toNativeSeparators(path));
    QString error;
    const QByteArray bytes = renderPlot(view, o, *format, &error);
    if (bytes.isEmpty())
        return openError(path, error);
    return writeFileAtomically(path, bytes);
}

QByteArray PlotExporter::renderData(PlotView *view, ExportFormat format, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return QByteArray();
    };
    if (!view)
        return fail(QObject::tr("No view to export"));
    // As figures: the full data, not the coarser curves and map drawn while a slider is held.
    const bool dragMode = view->dragMode();
    view->setDragMode(false);
    const auto restoreDragMode = qScopeGuard([view, dragMode] { view->setDragMode(dragMode); });
    view->ensureCurrent();
    QByteArray bytes;
    const nlohmann::json scenario = view->scenario()->toJson();
    if (format == ExportFormat::Csv) {
        bytes = QByteArrayLiteral("# scenario: ") + QByteArray::fromStdString(scenario.dump()) + '\n';
        bytes += QByteArrayLiteral("# view: ") + view->viewId().toUtf8() + '\n';
        for (const QString &line : view->csvRows())
            bytes += line.toUtf8() + '\n';
    } else if (format == ExportFormat::Json) {
        nlohmann::json j;
        j["schema"] = "mlastudio.figure-data/1";
        j["view"] = view->viewId().toStdString();
        j["scenario"] = scenario;
        j["data"] = view->dataJson();
        bytes = QByteArray::fromStdString(j.dump(2)) + '\n';
    } else {
        return fail(QObject::tr("\"%1\" is not a data format (use .csv or .json)").arg(exportFormatSuffix(format)));
    }
    return bytes;
}

QString PlotExporter::exportData(PlotView *view, const QString &path)
{
    if (!view)
        return QObject::tr("No view to export");
    const std::optional<ExportFormat> format = exportFormatFromSuffix(suffixOf(path));
    if (!format || isFigureFormat(*format))
        return QObject::tr("Unknown data format \"%1\" for %2 (use .csv or .json)").arg(suffixOf(path), QDir::toNativeSeparators(path));
    QString error;
    const QByteArray bytes = renderData(view, *format, &error);
    if (bytes.isEmpty())
        return openError(path, error);
    return writeFileAtomically(path, bytes);
}

} // namespace mlastudio::ui
