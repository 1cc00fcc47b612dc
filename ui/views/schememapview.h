// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include "mlastudio/core/sweep.h"

#include <QVector>

class QCPItemText;
class QCPTextElement;

namespace mlastudio::ui {

/**
 * Which scheme is fastest over a DRAM-bandwidth × compute grid (log × log), among the visible MLA
 * schemes plus mha. Colour = winner, darker = larger speed-up over the runner-up. Shipped hardware
 * presets and the current point are marked.
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
    /** The last computed map (empty when inputs are invalid). */
    const core::SchemeMap &map() const { return m_map; }

    QStringList csvRows() const override;
    nlohmann::json dataJson() const override;

protected:
    void rebuild() override;

private:
    struct Label {
        double x = 0.0;
        double y = 0.0;
        QCPItemText *item = nullptr;
    };

    struct PresetPoint {
        QString label;
        double bandwidth = 0.0;
        double compute = 0.0;
    };
    QVector<PresetPoint> m_presets;
    QVector<Label> m_labels;
    core::SchemeMap m_map;
    QCPTextElement *m_caption = nullptr;
    QSize m_lastLayoutSize;
};

} // namespace mlastudio::ui
