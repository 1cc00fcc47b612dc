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
    /** Loads every preset. A broken user file is skipped and reported by errors(). */
    PresetRegistry();

    const std::vector<core::HardwarePreset> &hardware() const { return m_hardware; }
    const std::vector<core::ModelPreset> &models() const { return m_models; }
    /** Problems found while loading user presets (file: field: expected). */
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

    /** Reads a file (at most core::kMaxPresetBytes) from disk or resources. \throws core::PresetError */
    static std::string readPresetFile(const QString &path);

private:
    std::vector<core::HardwarePreset> m_hardware;
    std::vector<core::ModelPreset> m_models;
    QStringList m_errors;
};

} // namespace mlastudio::ui
