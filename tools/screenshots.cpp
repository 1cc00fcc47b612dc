// SPDX-License-Identifier: MIT
// Writes the README screenshots: the main window (screenshot-main.png) and the export dialog
// (screenshot-export.png), rendered offscreen with the default scenario and the light theme.
//   build/tools/mla-studio-screenshots [DIR]      (default: docs)
// A developer tool, not a test: its output is looked at, not checked.
#include "atomicwrite.h"
#include "exportdialog.h"
#include "mainwindow.h"
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
        dialog->setFormat(QStringLiteral("png"));
        settle(100);
        dialog->updatePreview();
        settle(100);
        error = writePng(dialog->grab(), QDir(dir).filePath(QStringLiteral("screenshot-export.png")));
        dialog->close();
    }
    if (!error.isEmpty()) {
        err << "mla-studio-screenshots: " << error << "\n";
        return 1;
    }
    err << "wrote " << dir << "/screenshot-main.png and screenshot-export.png\n";
    return 0;
}
