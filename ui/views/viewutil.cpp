// SPDX-License-Identifier: MIT
#include "views/viewutil.h"

#include "mlastudio/core/report.h"

#include <qcustomplot.h>

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

} // namespace mlastudio::ui::viewutil
