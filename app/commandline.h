// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

class QTextStream;

namespace mlastudio::app {

/** Subcommands that run without the main window. */
bool isSubcommand(const QString &word);

/** True if the subcommand renders widgets (and so needs a QApplication, offscreen without a display). */
bool subcommandNeedsWidgets(const QString &word);

/**
 * Runs a subcommand. \p args are the full arguments (program name first, then the subcommand).
 * Results go to \p out, errors to \p err.
 * \return the process exit code: 0 success, 1 an input or evaluation error, 2 a usage error.
 */
int runSubcommand(const QStringList &args, QTextStream &out, QTextStream &err);

/** \return the top-level help text listing every subcommand. */
QString topLevelHelp();

} // namespace mlastudio::app
