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

QString viewIdName(ViewId id)
{
    switch (id) {
    case ViewId::Roofline: return QStringLiteral("roofline");
    case ViewId::Throughput: return QStringLiteral("throughput");
    case ViewId::Energy: return QStringLiteral("energy");
    case ViewId::SchemeMap: return QStringLiteral("scheme-map");
    case ViewId::Memory: return QStringLiteral("memory");
    case ViewId::Validation: return QStringLiteral("validation");
    case ViewId::Platforms: return QStringLiteral("platforms");
    }
    return {};
}

std::optional<ViewId> viewIdFromName(const QString &name)
{
    for (ViewId id : kAllPlotViews)
        if (viewIdName(id) == name)
            return id;
    return std::nullopt;
}

QStringList plotViewIds()
{
    QStringList names;
    for (ViewId id : kAllPlotViews)
        names << viewIdName(id);
    return names;
}

PlotView *createPlotView(ViewId id, Scenario *scenario, QWidget *parent)
{
    switch (id) {
    case ViewId::Roofline: return new RooflineView(scenario, parent);
    case ViewId::Throughput: return new ThroughputView(scenario, parent);
    case ViewId::Energy: return new EnergyView(scenario, parent);
    case ViewId::SchemeMap: return new SchemeMapView(scenario, parent);
    case ViewId::Memory: return new MemoryView(scenario, parent);
    case ViewId::Validation: return new ValidationView(scenario, parent);
    case ViewId::Platforms: return new PlatformsView(scenario, parent);
    }
    return nullptr;
}

PlotView *createPlotView(const QString &viewName, Scenario *scenario, QWidget *parent)
{
    const std::optional<ViewId> id = viewIdFromName(viewName);
    return id ? createPlotView(*id, scenario, parent) : nullptr;
}

} // namespace mlastudio::ui
