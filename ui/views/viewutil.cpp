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

// What a measurement depends on: the font (QFont compares its family, size, weight and style), the
// screen's dpi (QFontMetrics(font) measures for the screen), the flags, the height and the text.
// The texts are kept per font: the font is found by QFont::operator==, a pointer compare when the
// caller passes a copy of a font already seen (most do), which spares hashing the font at each call.
struct TextKey {
    QString text;
    int flags = 0;
    int height = 0;
    bool operator==(const TextKey &o) const { return flags == o.flags && height == o.height && text == o.text; }
};

size_t qHash(const TextKey &k, size_t seed = 0)
{
    return qHashMulti(seed, k.text, k.flags, k.height);
}

int screenDpi()
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    return screen ? int(std::lround(screen->logicalDotsPerInchY() * 100.0)) : 0;
}

constexpr qsizetype kMetricsCacheLimit = 20000;  // texts; a slider drag creates a few hundred

template <typename T>
class MetricsCache
{
public:
    template <typename Measure>
    T get(const QFont &font, int flags, int height, const QString &text, Measure measure)
    {
        const int dpi = screenDpi();
        TextKey key{text, flags, height};
        qsizetype i = find(font, dpi);
        if (i >= 0) {
            if (const auto it = m_fonts[i].texts.constFind(key); it != m_fonts[i].texts.constEnd())
                return *it;
        }
        if (m_size >= kMetricsCacheLimit) {
            m_fonts.clear();
            m_size = 0;
            i = -1;
        }
        if (i < 0) {
            m_fonts.push_back({font, dpi, {}});
            i = m_fonts.size() - 1;
        }
        const T value = measure();
        m_fonts[i].texts.insert(std::move(key), value);
        ++m_size;
        return value;
    }

private:
    struct Font {
        QFont font;
        int dpi = 0;
        QHash<TextKey, T> texts;
    };
    qsizetype find(const QFont &font, int dpi)
    {
        for (qsizetype i = 0; i < m_fonts.size(); ++i)
            if (m_fonts[i].dpi == dpi && m_fonts[i].font == font) {
                if (i > 0) {
                    std::swap(m_fonts[i], m_fonts[i - 1]);  // the fonts in use move to the front
                    --i;
                }
                return i;
            }
        return -1;
    }

    QList<Font> m_fonts;
    qsizetype m_size = 0;  // texts of all fonts
};

} // namespace

QRect textBounds(const QFont &font, int flags, const QString &text, int height)
{
    thread_local MetricsCache<QRect> cache;
    return cache.get(font, flags, height, text, [&] { return QFontMetrics(font).boundingRect(0, 0, 0, height, flags, text); });
}

int textAdvance(const QFont &font, const QString &text)
{
    thread_local MetricsCache<int> cache;
    return cache.get(font, -1, 0, text, [&] { return QFontMetrics(font).horizontalAdvance(text); });
}

qreal textAdvanceF(const QFont &font, const QString &text)
{
    thread_local MetricsCache<qreal> cache;
    return cache.get(font, -2, 0, text, [&] { return QFontMetricsF(font).horizontalAdvance(text); });
}

} // namespace mlastudio::ui::viewutil
