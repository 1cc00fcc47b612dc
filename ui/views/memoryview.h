// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include "mlastudio/core/evaluate.h"

#include <vector>

class QCPAxisRect;

namespace mlastudio::ui {

/**
 * KV-cache bytes per token per visible scheme (left) and the DRAM needed at the current batch and
 * length, weights plus cache, against the DRAM capacity with the largest batch that fits (right).
 */
class MemoryView : public PlotView
{
    Q_OBJECT

public:
    explicit MemoryView(Scenario *scenario, QWidget *parent = nullptr);
    ~MemoryView() override;

    QString viewId() const override { return QStringLiteral("memory"); }
    QString title() const override { return tr("Memory"); }

    /** The axis rect of the DRAM-needed bars (the per-token bars use the default axis rect). */
    QCPAxisRect *capacityRect() const { return m_capacityRect; }

protected:
    void rebuild() override;

private:
    void drawReferenceMarkers(const std::vector<const core::StepResult *> &shown, double *lo1, double *hi1, double *hi2);
    void drawCapacityLine();

    QCPAxisRect *m_capacityRect = nullptr;
};

} // namespace mlastudio::ui
