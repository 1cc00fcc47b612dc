// SPDX-License-Identifier: MIT
#include "scenariocommands.h"

namespace mlastudio::ui {

ScenarioCommand::ScenarioCommand(Scenario *scenario, const QString &text, Scenario::State before,
                                 Scenario::State after, int mergeField, int mergeWindow)
    : QUndoCommand(text)
    , m_scenario(scenario)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_mergeField(mergeField)
    , m_mergeWindow(mergeWindow)
{
}

void ScenarioCommand::undo()
{
    m_scenario->applyState(m_before);
}

void ScenarioCommand::redo()
{
    m_scenario->applyState(m_after);
}

int ScenarioCommand::id() const
{
    return m_mergeField >= 0 ? SetFieldMergeId : -1;
}

bool ScenarioCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const ScenarioCommand *>(other);
    if (o->m_scenario != m_scenario || o->m_mergeField != m_mergeField || o->m_mergeWindow != m_mergeWindow)
        return false;
    m_after = o->m_after;
    // Dragging back to the start leaves nothing to undo.
    setObsolete(m_after.params == m_before.params);
    return true;
}

} // namespace mlastudio::ui
