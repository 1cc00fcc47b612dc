// SPDX-License-Identifier: MIT
#include "views/fieldaxis.h"
#include "views/viewutil.h"

#include <qcustomplot.h>

namespace mlastudio::ui {

namespace {

QString str(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Ticks are chosen and labelled in display units; positions stay in the SI data's coordinates.
class ScaledLogTicker : public QCPAxisTickerLog
{
public:
    explicit ScaledLogTicker(double scale)
        : m_scale(scale)
    {
    }

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange &range) override
    {
        QVector<double> ticks = QCPAxisTickerLog::createTickVector(tickStep, QCPRange(range.lower / m_scale, range.upper / m_scale));
        for (double &t : ticks)
            t *= m_scale;
        return ticks;
    }
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override
    {
        return QCPAxisTickerLog::getTickLabel(tick / m_scale, locale, formatChar, precision);
    }

private:
    double m_scale;
};

class ScaledTicker : public QCPAxisTicker
{
public:
    explicit ScaledTicker(double scale)
        : m_scale(scale)
    {
    }

protected:
    double getTickStep(const QCPRange &range) override
    {
        return QCPAxisTicker::getTickStep(QCPRange(range.lower / m_scale, range.upper / m_scale)) * m_scale;
    }
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override
    {
        return QCPAxisTicker::getTickLabel(tick / m_scale, locale, formatChar, precision);
    }

private:
    double m_scale;
};

} // namespace

void setFieldAxis(QCPAxis *axis, core::Field field, bool logScale)
{
    const double scale = core::fieldInfo(field).displayScale;
    if (logScale) {
        viewutil::setLogAxis(axis, QSharedPointer<ScaledLogTicker>::create(scale));
    } else {
        axis->setScaleType(QCPAxis::stLinear);
        auto ticker = QSharedPointer<ScaledTicker>::create(scale);
        ticker->setTickCount(6);
        axis->setTicker(ticker);
        axis->setNumberFormat(QStringLiteral("g"));
        axis->setNumberPrecision(6);
        axis->grid()->setSubGridVisible(false);
    }
}

QString fieldAxisLabel(core::Field field)
{
    const core::FieldInfo &f = core::fieldInfo(field);
    QString text = str(f.label);
    // Short symbols (L, B, d_c) help; long ones (BW_DRAM, η_c,att) only clutter an axis title.
    if (!f.symbol.empty() && QString::fromUtf8(f.symbol.data(), qsizetype(f.symbol.size())).size() <= 3)
        text += QLatin1Char(' ') + str(f.symbol);
    if (!f.unit.empty())
        text += QStringLiteral(" (%1)").arg(str(f.unit));
    return text;
}

} // namespace mlastudio::ui
