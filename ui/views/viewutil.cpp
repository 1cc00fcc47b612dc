// SPDX-License-Identifier: MIT
#include "views/viewutil.h"

#include "mlastudio/core/report.h"

#include <qcustomplot.h>

#include <QFontMetrics>
#include <QGuiApplication>
#include <QHash>
#include <QScreen>

#include <cmath>

namespace mlastudio::ui::viewutil {

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QColor flatten(const QColor &c, const QColor &background)
{
    return mix(background, c, c.alphaF());
}

QString si(double value, const char *unit, int significant)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    return QString::fromStdString(core::formatSi(value, unit, significant));
}

void setLogAxis(QCPAxis *axis, QSharedPointer<QCPAxisTickerLog> ticker)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    if (!ticker)
        ticker.reset(new QCPAxisTickerLog);
    ticker->setLogBase(10);
    ticker->setSubTickCount(8);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
    axis->grid()->setSubGridVisible(false);
}

QFont themeFont(const FigureTheme &theme, double factor)
{
    QFont f(theme.fontFamily);
    f.setPointSizeF(theme.fontPointSize * factor);
    return f;
}

void setPaddedLogRange(QCPAxis *axis, double lo, double hi)
{
    const double pad = std::pow(hi / lo, 0.03);
    axis->setRange(lo / pad, hi * pad);
}

double decadeBelow(double v)
{
    return std::pow(10.0, std::floor(std::log10(v) + 1e-9));
}

double decadeAbove(double v)
{
    return std::pow(10.0, std::ceil(std::log10(v) - 1e-9));
}

QString boundName(core::Bound bound)
{
    switch (bound) {
    case core::Bound::Compute: return QObject::tr("compute");
    case core::Bound::Dram: return QObject::tr("DRAM");
    case core::Bound::Sram: return QObject::tr("on-chip");
    case core::Bound::Latency: return QObject::tr("latency floor");
    case core::Bound::Interconnect: return QObject::tr("interconnect");
    }
    return {};
}

QString operatorName(core::OperatorKind kind)
{
    const std::string_view id = core::operatorId(kind);
    return QString::fromUtf8(id.data(), qsizetype(id.size()));
}

namespace {

// What a measurement depends on: the font (QFont compares and hashes its family, size, weight and
// style), the screen's dpi (QFontMetrics(font) measures for the screen), the flags, the height and
// the text. Cheap to build and compare: QFont and QString are shared, not copied.
struct MetricsKey {
    QFont font;
    QString text;
    int flags = 0;
    int height = 0;
    int dpi = 0;
    bool operator==(const MetricsKey &o) const
    {
        return flags == o.flags && height == o.height && dpi == o.dpi && text == o.text && font == o.font;
    }
};

size_t qHash(const MetricsKey &k, size_t seed = 0)
{
    return qHashMulti(seed, k.font, k.text, k.flags, k.height, k.dpi);
}

MetricsKey metricsKey(const QFont &font, int flags, int height, const QString &text)
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    const int dpi = screen ? int(std::lround(screen->logicalDotsPerInchY() * 100.0)) : 0;
    return {font, text, flags, height, dpi};
}

constexpr qsizetype kMetricsCacheLimit = 20000;  // texts; a slider drag creates a few hundred

template <typename T, typename Measure>
T memoised(QHash<MetricsKey, T> &cache, MetricsKey key, Measure measure)
{
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    if (cache.size() >= kMetricsCacheLimit)
        cache.clear();
    const T value = measure();
    cache.insert(std::move(key), value);
    return value;
}

} // namespace

QRect textBounds(const QFont &font, int flags, const QString &text, int height)
{
    thread_local QHash<MetricsKey, QRect> cache;
    return memoised(cache, metricsKey(font, flags, height, text),
                    [&] { return QFontMetrics(font).boundingRect(0, 0, 0, height, flags, text); });
}

int textAdvance(const QFont &font, const QString &text)
{
    thread_local QHash<MetricsKey, int> cache;
    return memoised(cache, metricsKey(font, -1, 0, text), [&] { return QFontMetrics(font).horizontalAdvance(text); });
}

qreal textAdvanceF(const QFont &font, const QString &text)
{
    thread_local QHash<MetricsKey, qreal> cache;
    return memoised(cache, metricsKey(font, -2, 0, text), [&] { return QFontMetricsF(font).horizontalAdvance(text); });
}

} // namespace mlastudio::ui::viewutil
