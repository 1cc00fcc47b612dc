// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/sweep.h"

#include <QPointer>
#include <QVector>

#include <limits>
#include <utility>
#include <vector>

class QComboBox;
class QCPGraph;
class QCPItemTracer;

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
    /** Most points while a slider is held (drag mode): half, so that the curves keep pace with the
     *  drag. On release the curves are computed again at kPoints; exports always use kPoints. */
    static constexpr int kDragPoints = 100;

protected:
    void rebuild() override;
    bool staleAfterDrag() const override { return m_dragPoints; }
    /** The plotted value of one sweep point (NaN for gaps). */
    virtual double seriesValue(const core::SweepSeries &series, std::size_t i) const = 0;
    /** The plotted value of a full result (the current point). */
    virtual double seriesValue(const core::StepResult &result) const = 0;
    virtual QString metricLabel() const = 0;
    /** The metric's axis title where the full one does not fit, e.g. "J/token". */
    virtual QString briefMetricLabel() const = 0;
    /** Called after the curves are rebuilt (results are valid). */
    virtual void rebuildExtra() {}
    /** Called when results are empty (invalid inputs). */
    virtual void clearExtra() {}

private:
    /** One rebuild's sweep: the axis, its points and the extent of what was drawn. */
    struct Sweep {
        core::SweepAxis axis;
        std::vector<double> xs;
        double yLo = std::numeric_limits<double>::infinity();
        double yHi = 0.0;
        bool overflowShown = false;  //!< some curve has a "does not fit in DRAM" part
    };
    /** Adds one scheme's curve (and its dotted overflow part) of the current parameters or the
     *  reference's (the scenario's shared sweep). \return the curve, or null. */
    QCPGraph *addCurve(Sweep &sw, bool ofReference, core::Scheme scheme, const QPen &pen, const QString &name);
    void drawReferenceCurves(Sweep &sw);
    /** The current point of each scheme, the vertical line and its label. */
    void markCurrentPoint(Sweep &sw);
    /** Presentation mode (directLabels()): each scheme's name beside its curve, in its colour. */
    void addDirectLabels(const Sweep &sw, const std::vector<std::pair<core::Scheme, QCPGraph *>> &curves);
    void onAxisChosen(int index);
    /** At every layout (the export size too): current-point markers that share a spot in pixels
     *  shrink in the schemes' order, so each shows as a ring around the next. */
    void stackCurrentMarkers();

    QComboBox *m_axisCombo = nullptr;
    QVector<QPointer<QCPItemTracer>> m_tracers;  //!< the current points, in the schemes' order
    double m_tracerSize = 0.0;                   //!< their full size
    bool m_dragPoints = false;                   //!< the curves have kDragPoints points
};

} // namespace mlastudio::ui
