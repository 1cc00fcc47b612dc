// SPDX-License-Identifier: MIT
#pragma once

#include "views/sweepview.h"

namespace mlastudio::ui {

/** Tokens per second of each visible scheme along ViewSettings::throughputAxis. */
class ThroughputView : public SweepView
{
    Q_OBJECT

public:
    explicit ThroughputView(Scenario *scenario, QWidget *parent = nullptr);
    ~ThroughputView() override;

    QString viewId() const override { return QStringLiteral("throughput"); }
    QString title() const override { return tr("Throughput"); }

protected:
    double seriesValue(const core::SweepSeries &series, std::size_t i) const override;
    double seriesValue(const core::StepResult &result) const override;
    QString metricLabel() const override;
    QString briefMetricLabel() const override;
};

} // namespace mlastudio::ui
