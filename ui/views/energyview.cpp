// SPDX-License-Identifier: MIT
#include "views/energyview.h"

#include "scenario.h"
#include "schemestyle.h"
#include "views/figurelayout.h"
#include "views/viewutil.h"

#include <qcustomplot.h>

namespace mlastudio::ui {

using namespace viewutil;

EnergyView::EnergyView(Scenario *scenario, QWidget *parent)
    : SweepView(scenario, parent)
{
    QCustomPlot *p = plot();
    m_barRect = new QCPAxisRect(p);
    setSidePanel(m_barRect, 0.42);
    m_barRect->axis(QCPAxis::atLeft)->setLabel(tr("J/token at current point"));
    figureLayout()->setAxisTitles(m_barRect->axis(QCPAxis::atLeft), tr("J/token at current point"), tr("J/token"));
    m_barRect->axis(QCPAxis::atLeft)->setNumberFormat(QStringLiteral("gb"));
    m_barRect->axis(QCPAxis::atBottom)->grid()->setVisible(false);
    m_barLegend = new QCPLegend;
    m_barRect->insetLayout()->addElement(m_barLegend, Qt::AlignTop | Qt::AlignRight);
    m_barLegend->setLayer(QStringLiteral("legend"));
    m_barLegend->setVisible(true);
    m_barLegend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_barLegend->setWrap(2);  // 2 × 2 entries: compact enough to sit above the bars
    figureLayout()->addLegend(m_barLegend, m_barRect);
    applyTheme(theme());
}

EnergyView::~EnergyView() = default;

double EnergyView::seriesValue(const core::SweepSeries &series, std::size_t i) const
{
    return series.energyPerTokenJ[i];
}

double EnergyView::seriesValue(const core::StepResult &result) const
{
    return result.energyPerTokenJ;
}

QString EnergyView::metricLabel() const
{
    return tr("Energy per token (J/token)");
}

QString EnergyView::briefMetricLabel() const
{
    return tr("J/token");
}

void EnergyView::clearExtra()
{
    m_barRect->axis(QCPAxis::atBottom)->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
}

void EnergyView::rebuildExtra()
{
    QCustomPlot *p = plot();
    const Scenario *sc = scenario();
    const FigureTheme &t = theme();
    QCPAxis *keyAxis = m_barRect->axis(QCPAxis::atBottom);
    QCPAxis *valueAxis = m_barRect->axis(QCPAxis::atLeft);

    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    struct Part {
        QString name;
        QColor color;
        double core::StepResult::*member;
    };
    const Part parts[] = {
        {tr("compute"), t.energyCompute, &core::StepResult::computeEnergyJ},
        {tr("on-chip"), t.energySram, &core::StepResult::sramEnergyJ},
        {tr("DRAM"), t.energyDram, &core::StepResult::dramEnergyJ},
        // Every shipped preset has P_static = 0: say so where the missing static part would be.
        {sc->parameters().hardware.staticPowerW == 0.0 ? tr("static: 0 W") : tr("static"), t.energyStatic,
         &core::StepResult::staticEnergyJ},
    };
    QCPBars *below = nullptr;
    double top = 0.0;
    std::vector<const core::StepResult *> shown;
    for (const auto &res : sc->results())
        if (sc->isSchemeVisible(res.scheme) && res.tokensPerStep > 0.0)
            shown.push_back(&res);
    for (std::size_t i = 0; i < shown.size(); ++i) {
        ticker->addTick(double(i + 1), schemeShortName(shown[i]->scheme));
        top = std::max(top, shown[i]->energyPerTokenJ);
    }
    for (const Part &part : parts) {
        auto *bars = new QCPBars(keyAxis, valueAxis);
        bars->setName(part.name);
        bars->setPen(QPen(t.foreground, 0.8));
        bars->setBrush(part.color);
        bars->setWidth(0.6);
        bars->removeFromLegend(p->legend);
        bars->addToLegend(m_barLegend);
        QVector<double> keys, values;
        for (std::size_t i = 0; i < shown.size(); ++i) {
            keys << double(i + 1);
            values << shown[i]->*part.member / shown[i]->tokensPerStep;
        }
        bars->setData(keys, values, true);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    keyAxis->setTicker(ticker);
    keyAxis->setTickLabelRotation(shown.size() > 3 ? 35 : 0);
    keyAxis->setRange(0.4, double(shown.size()) + 0.6);
    valueAxis->setRange(0.0, top > 0.0 ? top * 1.8 : 1.0);  // headroom for the two-column legend
}

} // namespace mlastudio::ui
