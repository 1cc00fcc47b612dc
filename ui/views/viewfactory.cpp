// SPDX-License-Identifier: MIT
#include "views/viewfactory.h"

#include "views/energyview.h"
#include "views/memoryview.h"
#include "views/platformsview.h"
#include "views/rooflineview.h"
#include "views/schememapview.h"
#include "views/throughputview.h"
#include "views/validationview.h"

namespace mlastudio::ui {

QStringList plotViewIds()
{
    return {QStringLiteral("roofline"), QStringLiteral("throughput"), QStringLiteral("energy"),
            QStringLiteral("scheme-map"), QStringLiteral("memory"), QStringLiteral("validation"),
            QStringLiteral("platforms")};
}

PlotView *createPlotView(const QString &viewId, Scenario *scenario, QWidget *parent)
{
    if (viewId == QLatin1String("roofline"))
        return new RooflineView(scenario, parent);
    if (viewId == QLatin1String("throughput"))
        return new ThroughputView(scenario, parent);
    if (viewId == QLatin1String("energy"))
        return new EnergyView(scenario, parent);
    if (viewId == QLatin1String("scheme-map"))
        return new SchemeMapView(scenario, parent);
    if (viewId == QLatin1String("memory"))
        return new MemoryView(scenario, parent);
    if (viewId == QLatin1String("validation"))
        return new ValidationView(scenario, parent);
    if (viewId == QLatin1String("platforms"))
        return new PlatformsView(scenario, parent);
    return nullptr;
}

} // namespace mlastudio::ui
