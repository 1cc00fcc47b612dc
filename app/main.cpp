// SPDX-License-Identifier: MIT
#include "commandline.h"
#include "mainwindow.h"
#include "scenario.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFile>
#include <QIcon>
#include <QTextStream>

#include <cstdio>

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
    const bool scenarioArg = args.size() == 2 && first.endsWith(QLatin1String(mlastudio::ui::kScenarioSuffix));
    if (args.size() <= 1 || scenarioArg) {
        QApplication app(argc, argv);
        const QString icon = QStringLiteral(":/icons/mla-studio.svg");
        if (QFile::exists(icon))
            QApplication::setWindowIcon(QIcon(icon));
        mlastudio::ui::MainWindow window;
        window.show();
        if (scenarioArg)
            window.openFile(first);
        return app.exec();
    }
    err << "mla-studio: unknown subcommand '" << first << "'\n(see 'mla-studio --help')\n";
    return 2;
}
