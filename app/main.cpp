// SPDX-License-Identifier: MIT
#include "commandline.h"
#include "deck.h"
#include "mainwindow.h"
#include "presentationwindow.h"
#include "scenario.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFile>
#include <QIcon>
#include <QTextStream>

#include <cstdio>
#include <memory>
#include <optional>

namespace {

/**
 * Test hook for tests/ui/tst_autosave: MLASTUDIO_TEST_EDIT=FIELD=VALUE (a field id as in scenario
 * files, a value in SI units, e.g. "batch=7") applies one undoable edit at start-up, as if the user
 * had moved that slider, so a test can edit the window of a separate process and then kill it.
 */
void applyTestEdit(mlastudio::ui::Scenario &scenario, QTextStream &err)
{
    const QString edit = qEnvironmentVariable("MLASTUDIO_TEST_EDIT");
    if (edit.isEmpty())
        return;
    const QStringList parts = edit.split(QLatin1Char('='));
    bool ok = false;
    const double value = parts.value(1).toDouble(&ok);
    const std::optional<mlastudio::core::Field> field = mlastudio::core::fieldFromId(parts.value(0).toStdString());
    if (parts.size() != 2 || !ok || !field) {
        err << "mla-studio: ignoring MLASTUDIO_TEST_EDIT='" << edit << "' (expected FIELD=VALUE)\n";
        err.flush();
        return;
    }
    scenario.setField(*field, value);
    scenario.endMerge();
}

/**
 * Test hook for tests/ui/tst_autosave: MLASTUDIO_TEST_RECOVERY=restore or discard answers every
 * crash-recovery prompt without a dialog and prints what was offered to stderr, one line each
 * ("mla-studio: test: offered FILE saved TIME"), then one line when start-up is done listing every
 * window ("mla-studio: test: started, N offered, M restored; windows: FILE batch=B modified=0|1; ...",
 * with " presenting view=V step=K step-batch=B" after a window in presentation mode, K = 0 without a deck).
 * A test can start real processes that share one HOME and see which autosaves each one offers.
 */
bool installTestRecoveryAnswer(mlastudio::ui::MainWindow &window, QTextStream &err, std::shared_ptr<int> offered)
{
    const QString answer = qEnvironmentVariable("MLASTUDIO_TEST_RECOVERY");
    if (answer.isEmpty())
        return false;
    const bool restore = answer == QLatin1String("restore");
    if (!restore && answer != QLatin1String("discard")) {
        err << "mla-studio: ignoring MLASTUDIO_TEST_RECOVERY='" << answer << "' (expected restore or discard)\n";
        err.flush();
        return false;
    }
    window.setConfirmRestore([&err, offered, restore](const mlastudio::ui::Autosave::Info &info) {
        ++*offered;
        err << "mla-studio: test: offered " << (info.filePath.isEmpty() ? QStringLiteral("Untitled") : info.filePath)
            << " saved " << info.savedAt.toString(Qt::ISODateWithMs) << "\n";
        err.flush();
        return restore;
    });
    return true;
}

void reportTestStart(QTextStream &err, int offered, int restored)
{
    QStringList windows;
    for (QWidget *w : QApplication::topLevelWidgets()) {
        auto *window = qobject_cast<mlastudio::ui::MainWindow *>(w);
        if (!window || !window->isVisible())
            continue;
        const mlastudio::ui::Scenario &s = *window->scenario();
        QString line = QStringLiteral("%1 batch=%2 modified=%3")
                           .arg(s.filePath().isEmpty() ? QStringLiteral("Untitled") : s.filePath())
                           .arg(s.parameters().workload.batch)
                           .arg(int(s.isModified()));
        // --present: the view shown, and the deck step with the batch of its scenario.
        if (const mlastudio::ui::PresentationWindow *p = window->presentation())
            line += QStringLiteral(" presenting view=%1 step=%2 step-batch=%3")
                        .arg(p->view()->viewId())
                        .arg(p->step() + 1)
                        .arg(p->scenario()->parameters().workload.batch);
        windows << line;
    }
    windows.sort();
    err << "mla-studio: test: started, " << offered << " offered, " << restored << " restored; windows: "
        << windows.join(QStringLiteral("; ")) << "\n";
    err.flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    QCoreApplication::setOrganizationName(QStringLiteral("MLA Studio"));
    QCoreApplication::setApplicationName(QStringLiteral("mla-studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MLASTUDIO_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString first = args.value(1);
    if (first == QLatin1String("-h") || first == QLatin1String("--help")) {
        out << mlastudio::app::topLevelHelp();
        return 0;
    }
    if (first == QLatin1String("-v") || first == QLatin1String("--version")) {
        out << "mla-studio " << MLASTUDIO_VERSION << "\n";
        return 0;
    }
    if (mlastudio::app::isSubcommand(first)) {
        if (!mlastudio::app::subcommandNeedsWidgets(first)) {
            QCoreApplication app(argc, argv);
            return mlastudio::app::runSubcommand(args, out, err);
        }
        // Figures render the same widgets as the window, offscreen so no display is needed.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        return mlastudio::app::runSubcommand(args, out, err);
    }
    // --present [SCENARIO | DECK]: start in presentation mode, on a scenario or on a deck's first step.
    const bool present = first == QLatin1String("--present");
    if (present) {
        args.removeAt(1);
        if (args.size() > 2) {
            err << "mla-studio: --present takes at most one scenario or deck file\n(see 'mla-studio --help')\n";
            return 2;
        }
    }
    const QString fileArg = args.value(1);
    // A deck or a scenario by its content, whatever its name; anything else is refused before a window opens.
    mlastudio::ui::PresentFile presented = mlastudio::ui::PresentFile::Scenario;
    if (present && args.size() == 2) {
        if (const QString error = mlastudio::ui::presentFileKind(fileArg, &presented); !error.isEmpty()) {
            err << "mla-studio: --present: " << error << "\n";
            return 2;
        }
    }
    const bool deckArg = present && args.size() == 2 && presented == mlastudio::ui::PresentFile::Deck;
    const bool scenarioArg = args.size() == 2 && !deckArg && (present || fileArg.endsWith(QLatin1String(mlastudio::ui::kScenarioSuffix)));
    if (args.size() <= 1 || scenarioArg || deckArg) {
        QApplication app(argc, argv);
        const QString icon = QStringLiteral(":/icons/mla-studio.svg");
        if (QFile::exists(icon))
            QApplication::setWindowIcon(QIcon(icon));
        mlastudio::ui::MainWindow window;
        const auto offered = std::make_shared<int>(0);
        const bool testRecovery = installTestRecoveryAnswer(window, err, offered);
        window.show();
        // Restored scenarios keep their windows; a file named on the command line opens beside them.
        const int restored = window.startAutosave();
        mlastudio::ui::MainWindow *shown = &window;
        if (scenarioArg) {
            if (restored == 0)
                window.openFile(fileArg);
            else if (mlastudio::ui::MainWindow *opened = window.openInNewWindow(fileArg))
                shown = opened;
        }
        if (deckArg)
            shown->presentDeck(fileArg);
        else if (present)
            shown->setPresentation(true);
        applyTestEdit(*window.scenario(), err);
        if (testRecovery)
            reportTestStart(err, *offered, restored);
        const int status = app.exec();
        // Reached only on a clean shutdown; a killed process leaves its autosave for the next start.
        if (window.autosave())
            window.autosave()->remove();
        return status;
    }
    err << "mla-studio: unknown subcommand '" << first << "'\n(see 'mla-studio --help')\n";
    return 2;
}
