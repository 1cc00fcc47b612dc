// SPDX-License-Identifier: MIT
#pragma once

#include "views/sweepview.h"

class QCPAxisRect;
class QCPLegend;

namespace mlastudio::ui {

/**
 * Energy per token of each visible scheme along ViewSettings::throughputAxis, and a stacked bar
 * breakdown (compute, on-chip, DRAM, static) per scheme at the current point.
 */
class EnergyView : public SweepView
{
    Q_OBJECT

public:
    explicit EnergyView(Scenario *scenario, QWidget *parent = nullptr);
    ~EnergyView() override;

    QString viewId() const override { return QStringLiteral("energy"); }
    QString title() const override { return tr("Energy"); }
    /** The axis rect of the breakdown bars. */
    QCPAxisRect *breakdownRect() const { return m_barRect; }

protected:
    double seriesValue(const core::SweepSeries &series, std::size_t i) const override;
    double seriesValue(const core::StepResult &result) const override;
    QString metricLabel() const override;
    QString briefMetricLabel() const override;
    void rebuildExtra() override;
    void clearExtra() override;

private:
    QCPAxisRect *m_barRect = nullptr;
    QCPLegend *m_barLegend = nullptr;
};

} // namespace mlastudio::ui
