// SPDX-License-Identifier: MIT
#pragma once

#include "scenario.h"

#include <QUndoCommand>

namespace mlastudio::ui {

/**
 * One undo step of a Scenario: the whole document state before and after. States are small
 * (a few structs), so storing both is simpler and exact compared with per-edit inverse logic.
 * Field edits merge while they change the same field inside one merge window (a slider drag).
 */
class ScenarioCommand final : public QUndoCommand
{
public:
    /** Merge ids (one enum for every mergeable command, as in Tiled's undocommands.h). */
    enum MergeId {
        SetFieldMergeId = 1,
    };

    /** \p mergeField is the core::Field index for field edits, -1 for edits that never merge. */
    ScenarioCommand(Scenario *scenario, const QString &text, Scenario::State before, Scenario::State after,
                    int mergeField, int mergeWindow);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    Scenario *m_scenario;
    Scenario::State m_before;
    Scenario::State m_after;
    int m_mergeField;
    int m_mergeWindow;
};

} // namespace mlastudio::ui
