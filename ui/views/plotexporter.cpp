// SPDX-License-Identifier: MIT
#include "views/plotexporter.h"

#include "scenario.h"
#include "views/plotview.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>

#include <cmath>

namespace mlastudio::ui {

namespace {

// Layout happens in logical units of 1/96 in, so fonts in points and pens in pixels keep their
// physical size at any resolution.
constexpr double kLogicalDpi = 96.0;

QString suffixFormat(const QString &path, const QString &explicitFormat)
{
    if (!explicitFormat.isEmpty())
        return explicitFormat.toLower();
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

QStringList ExportOptions::sizePresetNames()
{
    return {QStringLiteral("single-column"), QStringLiteral("double-column"), QStringLiteral("slide"), QStringLiteral("custom")};
}

QSizeF ExportOptions::resolvedSizeInches() const
{
    if (sizePreset == QLatin1String("single-column"))
        return {3.5, 2.6};
    if (sizePreset == QLatin1String("double-column"))
        return {7.16, 3.5};
    if (sizePreset == QLatin1String("slide"))
        return {13.33, 7.5};
    if (!sizePixels.isEmpty() && dpi > 0.0)
        return {sizePixels.width() / dpi, sizePixels.height() / dpi};
    if (!sizeInches.isEmpty())
        return sizeInches;
    return {3.5, 2.6};
}

QSize ExportOptions::resolvedSizePixels() const
{
    if (sizePreset == QLatin1String("custom") && !sizePixels.isEmpty())
        return sizePixels;
    const QSizeF in = resolvedSizeInches();
    return {int(std::lround(in.width() * dpi)), int(std::lround(in.height() * dpi))};
}

QString ExportOptions::sizeString() const
{
    if (sizePreset != QLatin1String("custom"))
        return sizePreset;
    if (!sizePixels.isEmpty())
        return QStringLiteral("%1x%2px").arg(sizePixels.width()).arg(sizePixels.height());
    const QSizeF in = resolvedSizeInches();
    return QStringLiteral("%1x%2in").arg(in.width()).arg(in.height());
}

bool ExportOptions::setSizeString(const QString &text)
{
    static const QRegularExpression custom(QStringLiteral("^([0-9]*\\.?[0-9]+)x([0-9]*\\.?[0-9]+)(in|px)$"));
    if (sizePresetNames().contains(text) && text != QLatin1String("custom")) {
        sizePreset = text;
        return true;
    }
    const QRegularExpressionMatch m = custom.match(text);
    if (!m.hasMatch())
        return false;
    const double w = m.captured(1).toDouble(), h = m.captured(2).toDouble();
    sizePreset = QStringLiteral("custom");
    if (m.captured(3) == QLatin1String("in")) {
        sizeInches = QSizeF(w, h);
        sizePixels = QSize();
    } else {
        sizePixels = QSize(int(w), int(h));
    }
    return true;
}

QString PlotExporter::validate(const ExportOptions &o)
{
    if (!(o.dpi >= 10.0 && o.dpi <= 2400.0))
        return QObject::tr("Resolution %1 dpi is out of range (10 to 2400)").arg(o.dpi);
    const QSizeF inches = o.resolvedSizeInches();
    if (!(inches.width() > 0.2 && inches.height() > 0.2 && inches.width() < 100 && inches.height() < 100))
        return QObject::tr("Figure size %1 × %2 in is out of range").arg(inches.width()).arg(inches.height());
    return {};
}

QImage PlotExporter::renderImage(PlotView *view, const ExportOptions &o)
{
    if (!view || !validate(o).isEmpty())
        return {};
    const QSizeF inches = o.resolvedSizeInches();
    const int w = int(std::lround(inches.width() * kLogicalDpi));
    const int h = int(std::lround(inches.height() * kLogicalDpi));
    const QSize px = o.resolvedSizePixels();
    QImage image(px, QImage::Format_ARGB32);
    if (image.isNull())
        return {};  // too large to allocate
    const LabelCacheGuard noCache(view->plot());
    const ThemeGuard guard(view, FigureTheme::preset(o.theme.isEmpty() ? view->theme().name : o.theme));
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
    image.setDotsPerMeterX(int(std::lround(o.dpi / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(o.dpi / 0.0254)));
    return image;
}

QString PlotExporter::exportPlot(PlotView *view, const QString &path, const ExportOptions &o)
{
    if (!view)
        return QObject::tr("No view to export");
    const QString format = suffixFormat(path, o.format);
    if (format != QLatin1String("pdf") && format != QLatin1String("svg") && format != QLatin1String("png"))
        return QObject::tr("Unknown figure format \"%1\" for %2 (use .pdf, .svg or .png)").arg(format, QDir::toNativeSeparators(path));
    if (const QString invalid = validate(o); !invalid.isEmpty())
        return invalid;
    const QSizeF inches = o.resolvedSizeInches();
    const int w = int(std::lround(inches.width() * kLogicalDpi));
    const int h = int(std::lround(inches.height() * kLogicalDpi));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return openError(path, file.errorString());

    if (format == QLatin1String("png")) {
        // The same pixels as previews and clipboard copies.
        const QImage image = renderImage(view, o);
        if (image.isNull()) {
            file.cancelWriting();
            return openError(path, QObject::tr("cannot paint a %1 × %2 pixel image")
                                       .arg(o.resolvedSizePixels().width()).arg(o.resolvedSizePixels().height()));
        }
        if (!image.save(&file, "PNG")) {
            file.cancelWriting();
            return openError(path, file.errorString());
        }
    } else {
        const LabelCacheGuard noCache(view->plot());
        const ThemeGuard guard(view, FigureTheme::preset(o.theme.isEmpty() ? view->theme().name : o.theme));
        const QString title = view->title();
        // Both vector formats render the same way; only the paint device differs.
        const auto paintOn = [&](QPaintDevice *device) {
            QCPPainter painter;
            if (!painter.begin(device)) {
                file.cancelWriting();
                return false;
            }
            render(view, &painter, w, h);
            painter.end();
            return true;
        };
        if (format == QLatin1String("pdf")) {
            QPdfWriter writer(&file);
            writer.setCreator(QStringLiteral("MLA Studio"));
            writer.setTitle(title);
            writer.setResolution(int(kLogicalDpi));
            writer.setPageSize(QPageSize(inches, QPageSize::Inch, QString(), QPageSize::ExactMatch));
            writer.setPageMargins(QMarginsF(0, 0, 0, 0));
            if (!paintOn(&writer))
                return openError(path, QObject::tr("cannot start the PDF"));
        } else {
            QSvgGenerator gen;
            gen.setOutputDevice(&file);
            gen.setSize(QSize(w, h));
            gen.setViewBox(QRect(0, 0, w, h));
            gen.setResolution(int(kLogicalDpi));
            gen.setTitle(title);
            gen.setDescription(QStringLiteral("MLA Studio figure"));
            if (!paintOn(&gen))
                return openError(path, QObject::tr("cannot start the SVG"));
        }
    }
    if (file.error() != QFileDevice::NoError) {
        const QString why = file.errorString();
        file.cancelWriting();
        return openError(path, why);
    }
    if (!file.commit())
        return openError(path, file.errorString());
    return {};
}

QString PlotExporter::exportData(PlotView *view, const QString &path)
{
    if (!view)
        return QObject::tr("No view to export");
    view->ensureCurrent();
    const QString format = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    const nlohmann::json scenario = view->scenario()->toJson();
    if (format == QLatin1String("csv")) {
        bytes = QByteArrayLiteral("# scenario: ") + QByteArray::fromStdString(scenario.dump()) + '\n';
        bytes += QByteArrayLiteral("# view: ") + view->viewId().toUtf8() + '\n';
        for (const QString &line : view->csvRows())
            bytes += line.toUtf8() + '\n';
    } else if (format == QLatin1String("json")) {
        nlohmann::json j;
        j["schema"] = "mlastudio.figure-data/1";
        j["view"] = view->viewId().toStdString();
        j["scenario"] = scenario;
        j["data"] = view->dataJson();
        bytes = QByteArray::fromStdString(j.dump(2)) + '\n';
    } else {
        return QObject::tr("Unknown data format \"%1\" for %2 (use .csv or .json)").arg(format, QDir::toNativeSeparators(path));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return openError(path, file.errorString());
    if (file.write(bytes) != bytes.size()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return openError(path, why);
    }
    if (!file.commit())
        return openError(path, file.errorString());
    return {};
}

} // namespace mlastudio::ui
