// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/presets.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace mlastudio::ui {

/**
 * The shipped presets (embedded as Qt resources under :/presets) plus the user's own presets from
 * the application data directory (QStandardPaths::AppDataLocation/presets/{hardware,models}).
 */
class PresetRegistry final
{
public:
    /**
     * Loads every preset. A broken user file, or a folder entry that is not a regular file (FIFO,
     * socket, directory, link to one), is skipped and reported by errors(). A user preset replaces
     * a shipped one with the same id; of two user files with one id, the name that sorts last wins
     * and errors() names both.
     */
    PresetRegistry();

    const std::vector<core::HardwarePreset> &hardware() const { return m_hardware; }
    const std::vector<core::ModelPreset> &models() const { return m_models; }
    /** Problems found while loading user presets (file: field: expected), as warnings. */
    const QStringList &errors() const { return m_errors; }

    /**
     * \return the hardware preset with this id, or loaded from this path if it names a file.
     * \throws core::PresetError if neither works.
     */
    core::HardwarePreset findHardware(const QString &idOrPath) const;
    /** \return the model preset with this id or from this file. \throws core::PresetError */
    core::ModelPreset findModel(const QString &idOrPath) const;

    /** \return the directory for user presets of a kind ("hardware" or "models"). */
    static QString userPresetDir(const QString &kind);

    /**
     * Reads a file (at most core::kMaxPresetBytes) from disk or resources; anything but a regular file
     * is refused before it is opened. \throws core::PresetError
     */
    static std::string readPresetFile(const QString &path);

private:
    std::vector<core::HardwarePreset> m_hardware;
    std::vector<core::ModelPreset> m_models;
    QStringList m_errors;
};

} // namespace mlastudio::ui
