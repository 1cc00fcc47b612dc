// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/sweep.h"

class QComboBox;

namespace mlastudio::ui {

/**
 * A metric of every visible scheme along ViewSettings::throughputAxis (core::sweep, log axes), with
 * the current point marked. Base of the throughput and energy views.
 */
class SweepView : public PlotView
{
    Q_OBJECT

public:
    explicit SweepView(Scenario *scenario, QWidget *parent = nullptr);
    ~SweepView() override;

    /** The axis selector (routes through Scenario::setViewSettings). */
    QComboBox *axisCombo() const { return m_axisCombo; }
    /** The legend name of a scheme's pinned-reference curve, e.g. "MLA (reuse), reference". */
    static QString referenceName(core::Scheme scheme);
    /** Most sweep points per scheme (integer axes have fewer: core::sweepAxisValues). */
    static constexpr int kPoints = 200;

protected:
    void rebuild() override;
    /** The plotted value of one sweep point (NaN for gaps). */
    virtual double seriesValue(const core::SweepSeries &series, std::size_t i) const = 0;
    /** The plotted value of a full result (the current point). */
    virtual double seriesValue(const core::StepResult &result) const = 0;
    virtual QString metricLabel() const = 0;
    /** Called after the curves are rebuilt (results are valid). */
    virtual void rebuildExtra() {}
    /** Called when results are empty (invalid inputs). */
    virtual void clearExtra() {}

private:
    void onAxisChosen(int index);
    void placeLegend();

    QComboBox *m_axisCombo = nullptr;
};

} // namespace mlastudio::ui
