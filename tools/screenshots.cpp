// SPDX-License-Identifier: MIT
// Writes the README screenshots: the main window (screenshot-main.png), the export dialog
// (screenshot-export.png), presentation mode at 1280 × 720 and 1920 × 1080
// (screenshot-presentation-1280.png, -1920.png) and a step of the built-in deck
// (screenshot-deck.png), rendered offscreen with the default scenario and the light theme.
//   build/tools/mla-studio-screenshots [DIR]      (default: docs)
// A developer tool, not a test: its output is looked at, not checked.
#include "atomicwrite.h"
#include "exportdialog.h"
#include "mainwindow.h"
#include "presentationwindow.h"
#include "scenario.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

namespace {

void settle(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

QString writePng(const QPixmap &pixmap, const QString &path)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!pixmap.save(&buffer, "PNG"))
        return QStringLiteral("%1: cannot encode the screenshot").arg(path);
    return mlastudio::ui::writeFileAtomically(path, buffer.data());
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Settings of a fresh install (default layout and theme), not the developer's own.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    qputenv("XDG_DATA_HOME", config.path().toLocal8Bit());
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("MLA Studio"));
    QCoreApplication::setApplicationName(QStringLiteral("mla-studio"));
    QTextStream err(stderr);
    const QString dir = QDir(app.arguments().value(1, QStringLiteral("docs"))).absolutePath();
    if (!QDir().mkpath(dir)) {
        err << "mla-studio-screenshots: cannot create " << dir << "\n";
        return 1;
    }

    mlastudio::ui::MainWindow window;
    window.setConfirmDiscard([] { return QMessageBox::Discard; });
    window.resize(1400, 900);
    window.show();
    settle(300);
    QString error = writePng(window.grab(), QDir(dir).filePath(QStringLiteral("screenshot-main.png")));

    if (error.isEmpty()) {
        mlastudio::ui::ExportDialog *dialog = window.openExportDialog(false);
        dialog->setFormat(mlastudio::ui::ExportFormat::Png);
        settle(100);
        dialog->updatePreview();
        settle(100);
        error = writePng(dialog->grab(), QDir(dir).filePath(QStringLiteral("screenshot-export.png")));
        dialog->close();
    }
    if (error.isEmpty()) {
        // Full screen on a projector, drawn at the projector's size (the offscreen screen is smaller).
        window.setPresentation(true);
        mlastudio::ui::PresentationWindow *presentation = window.presentation();
        presentation->showNormal();
        for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
            presentation->resize(size);
            settle(300);
            if (error.isEmpty())
                error = writePng(presentation->grab(), QDir(dir).filePath(QStringLiteral("screenshot-presentation-%1.png").arg(size.width())));
        }
        presentation->resize(1280, 720);
        if (error.isEmpty())
            error = presentation->goToStep(2);
        settle(300);
        if (error.isEmpty())
            error = writePng(presentation->grab(), QDir(dir).filePath(QStringLiteral("screenshot-deck.png")));
        window.setPresentation(false);
    }
    if (!error.isEmpty()) {
        err << "mla-studio-screenshots: " << error << "\n";
        return 1;
    }
    err << "wrote " << dir << "/screenshot-main.png, screenshot-export.png, screenshot-presentation-1280.png, "
        << "screenshot-presentation-1920.png and screenshot-deck.png\n";
    return 0;
}
