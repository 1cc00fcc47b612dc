// SPDX-License-Identifier: MIT
// Crash recovery: a real mla-studio process is edited, killed with SIGKILL, and its autosave restored.
#include "autosave.h"
#include "mainwindow.h"
#include "scenario.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <nlohmann/json.hpp>

using namespace mlastudio;
using mlastudio::ui::Autosave;
using mlastudio::ui::Scenario;
using nlohmann::json;

namespace {

json readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    return json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
}

QString findAutosave(const QString &root)
{
    QDirIterator it(root, {QStringLiteral("working.mlastudio.json")}, QDir::Files, QDirIterator::Subdirectories);
    return it.hasNext() ? it.next() : QString();
}

} // namespace

class TestAutosave : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void writesWhileModifiedAndRemovesWhenSaved();
    void restoreKeepsFileAndModified();
    void discardRemoves();
    void mainWindowOffersRestore();
    void killedProcessLeavesRestorableAutosave();

private:
    QTemporaryDir m_dir;
};

void TestAutosave::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestAutosave::writesWhileModifiedAndRemovesWhenSaved()
{
    const QString path = m_dir.filePath(QStringLiteral("a/working.mlastudio.json"));
    Scenario s;
    Autosave autosave(&s);
    autosave.setPath(path);
    autosave.setIntervals(60000, 50);
    autosave.start();
    QSignalSpy written(&autosave, &Autosave::written);

    QTest::qWait(150);
    QCOMPARE(written.count(), 0);  // nothing to recover while unmodified
    QVERIFY(!QFileInfo::exists(path));

    s.setField(core::Field::Batch, 5);
    s.setField(core::Field::Batch, 6);  // merged slider steps: one debounced write
    QVERIFY(written.wait(2000));
    QCOMPARE(written.count(), 1);
    const json j = readJson(path);
    QCOMPARE(j["parameters"]["workload"]["batch"].get<int>(), 6);
    QVERIFY(j["autosave"]["saved_at"].is_string());
    QVERIFY(QDateTime::fromString(QString::fromStdString(j["autosave"]["saved_at"].get<std::string>()), Qt::ISODateWithMs)
                .isValid());

    const QString file = m_dir.filePath(QStringLiteral("saved.mlastudio.json"));
    QVERIFY(s.save(file).isEmpty());
    QVERIFY(!QFileInfo::exists(path));  // saved: nothing left to recover

    s.setField(core::Field::Batch, 9);
    QVERIFY(written.wait(2000));
    QCOMPARE(QString::fromStdString(readJson(path)["autosave"]["file_path"].get<std::string>()),
             QFileInfo(file).absoluteFilePath());
    s.undoStack()->undo();  // back to the saved state: unmodified again
    QVERIFY(!QFileInfo::exists(path));
}

void TestAutosave::restoreKeepsFileAndModified()
{
    const QString path = m_dir.filePath(QStringLiteral("b/working.mlastudio.json"));
    const QString file = m_dir.filePath(QStringLiteral("b.mlastudio.json"));
    {
        Scenario s;
        QVERIFY(s.save(file).isEmpty());
        Autosave autosave(&s);
        autosave.setPath(path);
        s.setField(core::Field::KvLength, 12345);
        s.setHardwarePreset(QStringLiteral("b200"));
        QVERIFY(autosave.writeNow().isEmpty());
    }  // no remove(): as if the process died here
    QVERIFY(QFileInfo::exists(path));

    Scenario t;
    Autosave autosave(&t);
    autosave.setPath(path);
    const std::optional<Autosave::Info> info = autosave.pending();
    QVERIFY(info.has_value());
    QCOMPARE(info->filePath, QFileInfo(file).absoluteFilePath());
    QVERIFY(std::abs(info->savedAt.secsTo(QDateTime::currentDateTime())) < 60);

    QSignalSpy modified(&t, &Scenario::modifiedChanged);
    QVERIFY(autosave.offerRestore([](const Autosave::Info &) { return true; }));
    QCOMPARE(t.parameters().workload.kvLength, 12345);
    QVERIFY(t.isModified());
    QVERIFY(!modified.isEmpty() && modified.last().at(0).toBool());
    QCOMPARE(t.filePath(), QFileInfo(file).absoluteFilePath());
    QVERIFY(QFileInfo::exists(path));  // written back: a second crash still finds it
    QVERIFY(t.undoStack()->count() == 0 && !t.undoStack()->isClean());
}

void TestAutosave::discardRemoves()
{
    const QString path = m_dir.filePath(QStringLiteral("c/working.mlastudio.json"));
    {
        Scenario s;
        Autosave autosave(&s);
        autosave.setPath(path);
        s.setField(core::Field::Batch, 3);
        QVERIFY(autosave.writeNow().isEmpty());
    }
    Scenario t;
    Autosave autosave(&t);
    autosave.setPath(path);
    int asked = 0;
    QVERIFY(!autosave.offerRestore([&](const Autosave::Info &) {
        ++asked;
        return false;
    }));
    QCOMPARE(asked, 1);
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(!t.isModified());
    QVERIFY(!autosave.offerRestore([&](const Autosave::Info &) { return ++asked, true; }));
    QCOMPARE(asked, 1);  // nothing pending: no question
}

void TestAutosave::mainWindowOffersRestore()
{
    const QString path = m_dir.filePath(QStringLiteral("d/working.mlastudio.json"));
    {
        Scenario s;
        Autosave autosave(&s);
        autosave.setPath(path);
        s.setField(core::Field::Batch, 11);
        QVERIFY(autosave.writeNow().isEmpty());
    }
    ui::MainWindow window;
    window.setConfirmDiscard([] { return QMessageBox::Discard; });
    QString askedAbout;
    window.setConfirmRestore([&](const Autosave::Info &info) {
        askedAbout = info.savedAt.toString(Qt::ISODate);
        return true;
    });
    QVERIFY(window.startAutosave(path));
    QVERIFY(!askedAbout.isEmpty());
    QCOMPARE(window.scenario()->parameters().workload.batch, 11);
    QVERIFY(window.isWindowModified());
    QVERIFY(window.autosave() && window.autosave()->isActive());
    window.close();  // Discard on close: a clean shutdown leaves nothing to recover
    QVERIFY(!QFileInfo::exists(path));
}

void TestAutosave::killedProcessLeavesRestorableAutosave()
{
    const QString binary = QStringLiteral(MLASTUDIO_BINARY);
    if (binary.isEmpty() || !QFileInfo(binary).isExecutable())
        QSKIP("mla-studio is not built");
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString file = home.filePath(QStringLiteral("work.mlastudio.json"));
    QVERIFY(QFile::copy(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios/edge-bandwidth-starved.mlastudio.json"),
                        file));

    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("MLASTUDIO_TEST_EDIT"), QStringLiteral("batch=37"));
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::ForwardedChannels);
    app.start(binary, {file});
    QVERIFY2(app.waitForStarted(10000), qPrintable(app.errorString()));

    // The edit is written once it settles (about 2 s after start-up).
    QString autosavePath;
    QTRY_VERIFY_WITH_TIMEOUT(!(autosavePath = findAutosave(home.filePath(QStringLiteral("data")))).isEmpty(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(readJson(autosavePath).is_object(), 5000);
    QCOMPARE(app.state(), QProcess::Running);
    app.kill();  // SIGKILL: no destructor, no close event
    QVERIFY(app.waitForFinished(10000));
    QCOMPARE(app.exitStatus(), QProcess::CrashExit);

    QVERIFY2(QFileInfo::exists(autosavePath), "a killed process must leave its autosave behind");
    QVERIFY2(autosavePath.startsWith(home.filePath(QStringLiteral("data"))), qPrintable(autosavePath));
    const json j = readJson(autosavePath);
    QCOMPARE(j["parameters"]["workload"]["batch"].get<int>(), 37);
    QCOMPARE(QString::fromStdString(j["autosave"]["file_path"].get<std::string>()), QFileInfo(file).absoluteFilePath());

    Scenario restored;
    Autosave autosave(&restored);
    autosave.setPath(autosavePath);
    QVERIFY(autosave.pending().has_value());
    QVERIFY(autosave.offerRestore([](const Autosave::Info &) { return true; }));
    QCOMPARE(restored.parameters().workload.batch, 37);
    QCOMPARE(restored.hardwarePresetId(), QStringLiteral("edge-template"));
    QVERIFY(restored.isModified());
    QCOMPARE(restored.filePath(), QFileInfo(file).absoluteFilePath());
}

QTEST_MAIN(TestAutosave)
#include "tst_autosave.moc"
