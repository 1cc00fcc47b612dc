// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include "mlastudio/core/sweep.h"

#include <QPointer>
#include <QVector>

#include <optional>

class QCPAxisRect;
class QCPColorGradient;
class QCPColorMap;
class QCPItemText;
class QCPMarginGroup;
class QCPTextElement;
class QMouseEvent;

namespace mlastudio::ui {

/**
 * Which scheme is fastest over a DRAM-bandwidth × compute grid (log × log), among the visible MLA
 * schemes plus mha. Colour = winner (every scheme a hue, MHA too; grey = tie), darker = larger
 * speed-up over the runner-up, read off the colour bar. Shipped hardware presets and the current
 * point are marked; hovering a cell shows each scheme's time there, the winner and its speed-up.
 */
class SchemeMapView : public PlotView
{
    Q_OBJECT

public:
    explicit SchemeMapView(Scenario *scenario, QWidget *parent = nullptr);
    ~SchemeMapView() override;

    QString viewId() const override { return QStringLiteral("scheme-map"); }
    QString title() const override { return tr("Scheme map"); }

    /** Grid points per axis. */
    static constexpr int kGrid = 160;
    /** Grid points per axis while a slider is held (drag mode): a quarter of the cells, so that the
     *  map keeps pace with the drag. On release the map is computed again at kGrid; exports leave
     *  drag mode, so they always show the kGrid map. */
    static constexpr int kDragGrid = 80;
    /** The last computed map (empty when inputs are invalid): kDragGrid points per axis when it was
     *  computed in drag mode, otherwise kGrid. */
    const core::SchemeMap &map() const { return m_map; }

    /** What the hover readout states at one grid cell, from core::evaluate() at that cell. */
    struct Readout {
        double bandwidthBytesPerS = 0.0;
        double computeFlopsPerS = 0.0;
        std::vector<core::Scheme> schemes;  //!< the map's schemes
        std::vector<double> timeS;          //!< step time of each, same order
        std::vector<core::Scheme> leaders;  //!< the fastest and every scheme tied with it (core::leadingResults)
        double speedup = 1.0;               //!< fastest over the runner-up (tokens/s ratio)
        QString text;                       //!< the tooltip (rich text); empty outside the map
    };
    /** \return the readout of cell (bandwidth index, compute index) of map(). */
    Readout readoutAt(int bandwidthIndex, int computeIndex) const;
    /** \return the readout under a widget pixel of plot() (empty text outside the axis rect). */
    Readout readoutAtPixel(const QPointF &pos) const;
    /** The text of the last hover readout shown. */
    QString lastReadout() const { return m_lastReadout; }
    /** The colour bar: one column per scheme of the map, speed-up on its right axis (hidden with one scheme). */
    QCPAxisRect *colorBar() const { return m_barRect; }

    QStringList csvRows() const override;
    nlohmann::json dataJson() const override;

    void prepareForSize(const QSize &size) override;

protected:
    void rebuild() override;
    bool staleAfterDrag() const override;

private:
    struct Label {
        double x = 0.0;
        double y = 0.0;
        QCPItemText *item = nullptr;
    };
    /** Empties the map and removes the colour map: nothing to draw. */
    void clearMap();
    // rebuild()'s steps, in order.
    void updateCaption();
    /** Fills m_map on the grid; false (with the message set) when there is nothing to draw. */
    bool computeMap();
    /** The shaded regions; \return their gradient (the colour bar shows it). */
    QCPColorGradient drawColorMap();
    void addLegendEntries(const QCPColorGradient &gradient);
    void addPresetPoints();
    void addReferencePoint();
    void addCurrentPoint();
    void placeLabels();
    /** A label for the point (x, y), placed by placeLabels(). */
    void addPointLabel(double x, double y, const QString &text, const QColor &color);
    void buildColorBar(const QCPColorGradient &gradient);
    void onMouseMove(QMouseEvent *event);

    struct PresetPoint {
        QString label;
        double bandwidth = 0.0;
        double compute = 0.0;
    };
    QVector<PresetPoint> m_presets;
    QVector<Label> m_labels;
    core::SchemeMap m_map;
    /** What m_map was computed from: equal inputs at the next rebuild give the same map, so it is kept. */
    std::optional<core::SchemeMapInputs> m_mapInputs;
    /** The colour map, kept across rebuilds (PlotView::keepOnClear): when only an axis moves, its cells
     *  and the image QCustomPlot makes of them stay as they are. */
    QPointer<QCPColorMap> m_colorMap;
    bool m_colorMapCurrent = false;  //!< m_colorMap's cells show m_map
    QCPTextElement *m_caption = nullptr;
    QCPAxisRect *m_barRect = nullptr;
    QCPMarginGroup *m_marginGroup = nullptr;
    QString m_lastReadout;
    bool m_narrow = false;  //!< figure narrower than a double column (prepareForSize)
    QSize m_lastLayoutSize;
};

} // namespace mlastudio::ui
