// SPDX-License-Identifier: MIT
#include "views/throughputview.h"

namespace mlastudio::ui {

ThroughputView::ThroughputView(Scenario *scenario, QWidget *parent)
    : SweepView(scenario, parent)
{
    applyTheme(theme());
}

ThroughputView::~ThroughputView() = default;

double ThroughputView::seriesValue(const core::SweepSeries &series, std::size_t i) const
{
    return series.tokensPerS[i];
}

double ThroughputView::seriesValue(const core::StepResult &result) const
{
    return result.tokensPerS;
}

QString ThroughputView::metricLabel() const
{
    return tr("Throughput (tokens/s)");
}

QString ThroughputView::briefMetricLabel() const
{
    return tr("tokens/s");
}

} // namespace mlastudio::ui
