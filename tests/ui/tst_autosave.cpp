// SPDX-License-Identifier: MIT
// Crash recovery: one autosave per window, held with a lock; real mla-studio processes are edited,
// killed with SIGKILL, and their autosaves offered at the next start (and not while they run).
#include "autosave.h"
#include "mainwindow.h"
#include "scenario.h"
#include "writefaults.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include <memory>

using namespace mlastudio;
using mlastudio::ui::Autosave;
using mlastudio::ui::MainWindow;
using mlastudio::ui::Scenario;
using nlohmann::json;

namespace {

json readJson(const QString &path)
{
    const QByteArray bytes = writefaults::readAll(path);
    return json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
}

QStringList autosaveFiles(const QString &dir)
{
    QStringList files;
    for (const QFileInfo &fi : QDir(dir).entryInfoList({QStringLiteral("*.mlastudio.json")}, QDir::Files, QDir::Name))
        files << fi.absoluteFilePath();
    return files;
}

// Leaves a stale autosave in \p dir as a window that is gone would: written, then the object
// (and its lock) destroyed without remove(). \return the autosave file.
QString leaveStaleAutosave(const QString &dir, int batch, const QString &filePath = {})
{
    Scenario s;
    if (!filePath.isEmpty() && !s.save(filePath).isEmpty())
        return {};
    Autosave autosave(&s);
    autosave.setDirectory(dir);
    s.setField(core::Field::Batch, batch);
    if (!autosave.writeNow().isEmpty())
        return {};
    return autosave.path();
}

// A real mla-studio window in its own process, in a HOME shared with the other windows of a test.
class AppProcess
{
public:
    AppProcess(const QString &home, const QString &answer, const QString &edit, const QStringList &args = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("MLASTUDIO_TEST_RECOVERY"), answer);
        env.remove(QStringLiteral("MLASTUDIO_TEST_EDIT"));
        if (!edit.isEmpty())
            env.insert(QStringLiteral("MLASTUDIO_TEST_EDIT"), edit);
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        QObject::connect(&m_process, &QProcess::readyReadStandardError, [this] { m_err += m_process.readAllStandardError(); });
        m_process.start(QStringLiteral(MLASTUDIO_BINARY), args);
    }
    ~AppProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }
    QProcess &process() { return m_process; }
    /** What it printed on stderr so far. */
    QString err()
    {
        QCoreApplication::processEvents();
        return QString::fromLocal8Bit(m_err);
    }
    /** The line printed once start-up (recovery prompts, command-line file) is done, or empty. */
    QString startLine()
    {
        static const QRegularExpression re(QStringLiteral("mla-studio: test: started, [^\n]*"));
        return re.match(err()).captured(0);
    }
    QStringList offered()
    {
        QStringList files;
        static const QRegularExpression re(QStringLiteral("mla-studio: test: offered (\\S+) saved"));
        for (auto it = re.globalMatch(err()); it.hasNext();)
            files << it.next().captured(1);
        return files;
    }
    bool killHard()
    {
        m_process.kill();  // SIGKILL: no destructor, no close event, the lock stays behind
        return m_process.waitForFinished(10000) && m_process.exitStatus() == QProcess::CrashExit;
    }

private:
    QProcess m_process;
    QByteArray m_err;
};

// The autosave in \p dir (other than \p except) whose scenario has \p batch, or empty.
QString autosaveWithBatch(const QString &dir, int batch)
{
    for (const QString &f : autosaveFiles(dir)) {
        const json j = readJson(f);
        if (j.is_object() && j.contains("parameters") && j["parameters"]["workload"]["batch"] == batch)
            return f;
    }
    return {};
}

} // namespace

class TestAutosave : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void writesWhileModifiedAndRemovesWhenSaved();
    void eachAutosaveHasItsOwnFileAndLock();
    void liveAutosaveIsNeverClaimed();
    void restoreKeepsFileAndModified();
    void discardRemoves();
    void unreadableIsSetAside();
    void failedWriteKeepsPreviousAutosave();
    void mainWindowOffersEveryRecovery();
    void killedWindowsAreOfferedAtNextStartOnly();

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
    const QString dir = m_dir.filePath(QStringLiteral("a"));
    Scenario s;
    Autosave autosave(&s);
    autosave.setDirectory(dir);
    autosave.setIntervals(60000, 50);
    autosave.start();
    QSignalSpy written(&autosave, &Autosave::written);

    QTest::qWait(150);
    QCOMPARE(written.count(), 0);  // nothing to recover while unmodified
    QVERIFY(autosave.path().isEmpty());
    QVERIFY(autosaveFiles(dir).isEmpty());

    s.setField(core::Field::Batch, 5);
    s.setField(core::Field::Batch, 6);  // merged slider steps: one debounced write
    QVERIFY(written.wait(2000));
    QCOMPARE(written.count(), 1);
    const QString path = autosave.path();
    QCOMPARE(written.first().at(0).toString(), path);
    QCOMPARE(autosaveFiles(dir), QStringList{path});
    QVERIFY2(QFileInfo(path).fileName().startsWith(QStringLiteral("autosave-")), qPrintable(path));
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
    QCOMPARE(autosave.path(), path);  // the same file for the window's whole life
    QCOMPARE(QString::fromStdString(readJson(path)["autosave"]["file_path"].get<std::string>()),
             QFileInfo(file).absoluteFilePath());
    s.undoStack()->undo();  // back to the saved state: unmodified again
    QVERIFY(!QFileInfo::exists(path));
}

void TestAutosave::eachAutosaveHasItsOwnFileAndLock()
{
    const QString dir = m_dir.filePath(QStringLiteral("own"));
    Scenario s1, s2;
    Autosave a1(&s1), a2(&s2);
    a1.setDirectory(dir);
    a2.setDirectory(dir);
    s1.setField(core::Field::Batch, 21);
    s2.setField(core::Field::Batch, 22);
    QCOMPARE(a1.writeNow(), QString());
    QCOMPARE(a2.writeNow(), QString());
    QVERIFY(a1.path() != a2.path());
    QCOMPARE(autosaveFiles(dir).size(), 2);
    QCOMPARE(readJson(a1.path())["parameters"]["workload"]["batch"].get<int>(), 21);
    QCOMPARE(readJson(a2.path())["parameters"]["workload"]["batch"].get<int>(), 22);
    // Each file is held: another lock on it cannot be taken while its window lives.
    for (const QString &path : {a1.path(), a2.path()}) {
        QVERIFY(QFileInfo::exists(Autosave::lockPathFor(path)));
        QLockFile other(Autosave::lockPathFor(path));
        other.setStaleLockTime(0);
        QVERIFY(!other.tryLock(0));
    }
    a1.remove();  // a clean shutdown of window 1 leaves window 2's file alone
    QCOMPARE(autosaveFiles(dir), QStringList{a2.path()});
}

void TestAutosave::liveAutosaveIsNeverClaimed()
{
    const QString dir = m_dir.filePath(QStringLiteral("live"));
    auto owner = std::make_unique<Scenario>();
    auto live = std::make_unique<Autosave>(owner.get());
    live->setDirectory(dir);
    owner->setField(core::Field::Batch, 31);
    QCOMPARE(live->writeNow(), QString());
    const QString path = live->path();
    const QByteArray before = writefaults::readAll(path);

    QVERIFY(Autosave::claimStale(dir).empty());  // its window is alive
    QCOMPARE(writefaults::readAll(path), before);

    live.reset();  // the window is gone (its lock released), the file stays
    std::vector<Autosave::Recovery> first = Autosave::claimStale(dir);
    QCOMPARE(first.size(), size_t(1));
    QCOMPARE(first.front().info.autosavePath, QFileInfo(path).absoluteFilePath());
    QVERIFY(Autosave::claimStale(dir).empty());  // claimed by `first`: no second start offers it
    first.clear();                               // dropped undecided: offered again later
    QCOMPARE(Autosave::claimStale(dir).size(), size_t(1));
}

void TestAutosave::restoreKeepsFileAndModified()
{
    const QString dir = m_dir.filePath(QStringLiteral("b"));
    const QString file = m_dir.filePath(QStringLiteral("b.mlastudio.json"));
    QString path;
    {
        Scenario s;
        QVERIFY(s.save(file).isEmpty());
        Autosave autosave(&s);
        autosave.setDirectory(dir);
        s.setField(core::Field::KvLength, 12345);
        s.setHardwarePreset(QStringLiteral("b200"));
        QVERIFY(autosave.writeNow().isEmpty());
        path = autosave.path();
    }  // no remove(): as if the process died here
    QVERIFY(QFileInfo::exists(path));

    std::vector<Autosave::Recovery> recoveries = Autosave::claimStale(dir);
    QCOMPARE(recoveries.size(), size_t(1));
    Autosave::Recovery &r = recoveries.front();
    QCOMPARE(r.info.filePath, QFileInfo(file).absoluteFilePath());
    QCOMPARE(r.info.autosavePath, QFileInfo(path).absoluteFilePath());
    QVERIFY(std::abs(r.info.savedAt.secsTo(QDateTime::currentDateTime())) < 60);

    Scenario t;
    Autosave autosave(&t);
    autosave.setDirectory(dir);
    QSignalSpy modified(&t, &Scenario::modifiedChanged);
    QCOMPARE(autosave.restore(r), QString());
    QCOMPARE(t.parameters().workload.kvLength, 12345);
    QCOMPARE(t.hardwarePresetId(), QStringLiteral("b200"));
    QVERIFY(t.isModified());
    QVERIFY(!modified.isEmpty() && modified.last().at(0).toBool());
    QCOMPARE(t.filePath(), QFileInfo(file).absoluteFilePath());
    QVERIFY(t.undoStack()->count() == 0 && !t.undoStack()->isClean());
    // The restoring window owns the file now: written back, locked, not offered to anyone else.
    QCOMPARE(QFileInfo(autosave.path()).absoluteFilePath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(readJson(path)["parameters"]["workload"]["kv_length"].get<int>(), 12345);
    QVERIFY(Autosave::claimStale(dir).empty());
}

void TestAutosave::discardRemoves()
{
    const QString dir = m_dir.filePath(QStringLiteral("c"));
    const QString path = leaveStaleAutosave(dir, 3);
    QVERIFY(!path.isEmpty());
    std::vector<Autosave::Recovery> recoveries = Autosave::claimStale(dir);
    QCOMPARE(recoveries.size(), size_t(1));
    Autosave::discard(recoveries.front());
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(Autosave::lockPathFor(path)));
    QVERIFY(Autosave::claimStale(dir).empty());
}

void TestAutosave::unreadableIsSetAside()
{
    const QString dir = m_dir.filePath(QStringLiteral("bad"));
    QVERIFY(QDir().mkpath(dir));
    const QString path = QDir(dir).filePath(QStringLiteral("autosave-x.mlastudio.json"));
    QVERIFY(writefaults::writeAll(path, "{ not json"));
    ui::MainWindow window;
    QStringList warnings;
    window.setWarningHandler([&](const QString &, const QString &text) { warnings << text; });
    int asked = 0;
    window.setConfirmRestore([&](const Autosave::Info &) { return ++asked, true; });
    QCOMPARE(window.startAutosave(dir), 0);
    QCOMPARE(asked, 1);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.front().contains(path), qPrintable(warnings.front()));
    QVERIFY(!window.isWindowModified());
    QVERIFY(QFileInfo::exists(path + QStringLiteral(".unreadable")));
    QVERIFY(Autosave::claimStale(dir).empty());  // not offered at every start
}

void TestAutosave::failedWriteKeepsPreviousAutosave()
{
    const QString dir = m_dir.filePath(QStringLiteral("full"));
    Scenario s;
    Autosave autosave(&s);
    autosave.setDirectory(dir);
    s.setField(core::Field::Batch, 12);
    QCOMPARE(autosave.writeNow(), QString());
    const QByteArray good = writefaults::readAll(autosave.path());
    QVERIFY(good.size() > 1000);

    s.setField(core::Field::Batch, 13);
    QSignalSpy failed(&autosave, &Autosave::failed);
    QString error;
    {
        const writefaults::FileSizeLimit limit(512);  // a disk that fills up halfway through the file
        QVERIFY(limit.ok());
        error = autosave.writeNow();
    }
    QVERIFY2(error.contains(autosave.path()) && error.contains(QStringLiteral("File too large")), qPrintable(error));
    QCOMPARE(writefaults::readAll(autosave.path()), good);  // byte for byte the previous autosave
    QCOMPARE(autosaveFiles(dir), QStringList{autosave.path()});
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(0).toString(), error);
    QCOMPARE(autosave.writeNow(), QString());  // room again: the next write goes through
    QCOMPARE(readJson(autosave.path())["parameters"]["workload"]["batch"].get<int>(), 13);

    // A window says so in its status bar (no dialog every few seconds) and keeps the edit.
    MainWindow window;
    window.setConfirmDiscard([] { return QMessageBox::Discard; });
    QCOMPARE(window.startAutosave(m_dir.filePath(QStringLiteral("full-window"))), 0);
    window.scenario()->setField(core::Field::Batch, 14);
    {
        const writefaults::FileSizeLimit limit(512);
        QVERIFY(!window.autosave()->writeNow().isEmpty());
    }
    QVERIFY2(window.statusBar()->currentMessage().startsWith(QStringLiteral("Autosave failed: Cannot write ")),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.isWindowModified());
    QCOMPARE(window.scenario()->parameters().workload.batch, 14);
}

void TestAutosave::mainWindowOffersEveryRecovery()
{
    const QString dir = m_dir.filePath(QStringLiteral("d"));
    const QString fileA = m_dir.filePath(QStringLiteral("d-a.mlastudio.json"));
    const QString fileB = m_dir.filePath(QStringLiteral("d-b.mlastudio.json"));
    QVERIFY(!leaveStaleAutosave(dir, 11, fileA).isEmpty());
    QTest::qWait(20);  // distinct times, so the order is defined
    QVERIFY(!leaveStaleAutosave(dir, 12, fileB).isEmpty());

    auto *window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setConfirmDiscard([] { return QMessageBox::Discard; });
    QStringList askedAbout;
    window->setConfirmRestore([&](const Autosave::Info &info) {
        askedAbout << QFileInfo(info.filePath).fileName();
        return info.savedAt.isValid();
    });
    QCOMPARE(window->startAutosave(dir), 2);
    QCOMPARE(askedAbout, (QStringList{QStringLiteral("d-a.mlastudio.json"), QStringLiteral("d-b.mlastudio.json")}));
    QCOMPARE(window->scenario()->parameters().workload.batch, 11);
    QCOMPARE(window->scenario()->filePath(), QFileInfo(fileA).absoluteFilePath());
    QVERIFY(window->isWindowModified());
    QVERIFY(window->autosave() && window->autosave()->isActive());

    // The second went into a window of its own, which owns that autosave.
    MainWindow *second = nullptr;
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *mw = qobject_cast<MainWindow *>(w); mw && mw != window && mw->isVisible())
            second = mw;
    QVERIFY(second);
    QCOMPARE(second->scenario()->parameters().workload.batch, 12);
    QCOMPARE(second->scenario()->filePath(), QFileInfo(fileB).absoluteFilePath());
    QVERIFY(second->isWindowModified());
    QVERIFY(second->windowTitle().contains(QStringLiteral("d-b.mlastudio.json")));
    QVERIFY(Autosave::claimStale(dir).empty());  // both held by live windows

    // A file named on the command line opens beside a restored window; a bad one is reported;
    // one that is open with restored changes is shown there, not opened twice.
    const QString fileC = m_dir.filePath(QStringLiteral("d-c.mlastudio.json"));
    QVERIFY(QFile::copy(fileA, fileC));
    QStringList warnings;
    window->setWarningHandler([&](const QString &, const QString &text) { warnings << text; });
    MainWindow *opened = window->openInNewWindow(fileC);
    QVERIFY(opened && opened != window && opened != second);
    QCOMPARE(opened->scenario()->filePath(), QFileInfo(fileC).absoluteFilePath());
    QVERIFY(!opened->isWindowModified());
    QCOMPARE(window->openInNewWindow(fileB), second);
    QVERIFY(second->isWindowModified());
    QVERIFY2(second->statusBar()->currentMessage().contains(QStringLiteral("d-b.mlastudio.json")),
             qPrintable(second->statusBar()->currentMessage()));
    QVERIFY(!window->openInNewWindow(m_dir.filePath(QStringLiteral("missing.mlastudio.json"))));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.front().contains(QStringLiteral("missing.mlastudio.json")), qPrintable(warnings.front()));

    second->setConfirmDiscard([] { return QMessageBox::Discard; });
    QVERIFY(second->close());
    QVERIFY(opened->close());
    QVERIFY(window->close());  // Discard on close: a clean shutdown leaves nothing to recover
    QTest::qWait(0);
    QVERIFY(autosaveFiles(dir).isEmpty());
}

void TestAutosave::killedWindowsAreOfferedAtNextStartOnly()
{
    const QString binary = QStringLiteral(MLASTUDIO_BINARY);
    QVERIFY2(!binary.isEmpty() && QFileInfo(binary).isExecutable(), "mla-studio must be built with the tests");
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString autosaveDir = home.filePath(QStringLiteral("data/MLA Studio/mla-studio/autosave"));
    const QString preset = QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios/edge-bandwidth-starved.mlastudio.json");
    const QString file1 = home.filePath(QStringLiteral("work1.mlastudio.json"));
    const QString file2 = home.filePath(QStringLiteral("work2.mlastudio.json"));
    const QString file3 = home.filePath(QStringLiteral("work3.mlastudio.json"));
    for (const QString &f : {file1, file2, file3})
        QVERIFY(QFile::copy(preset, f));

    // Window 1 edits its file; the edit is autosaved once it settles (about 2 s after start-up).
    AppProcess w1(home.path(), QStringLiteral("discard"), QStringLiteral("batch=37"), {file1});
    QVERIFY2(w1.process().waitForStarted(10000), qPrintable(w1.process().errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(!w1.startLine().isEmpty(), 20000);
    QVERIFY2(w1.offered().isEmpty(), qPrintable(w1.err()));
    QString autosave1;
    QTRY_VERIFY_WITH_TIMEOUT(!(autosave1 = autosaveWithBatch(autosaveDir, 37)).isEmpty(), 20000);
    const QByteArray bytes1 = writefaults::readAll(autosave1);

    // While window 1 runs, a second start does not offer (or, answering Discard, delete) its autosave.
    AppProcess w2(home.path(), QStringLiteral("discard"), QStringLiteral("batch=41"), {file2});
    QVERIFY(w2.process().waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!w2.startLine().isEmpty(), 20000);
    QVERIFY2(w2.offered().isEmpty(), qPrintable(w2.err()));
    QString autosave2;
    QTRY_VERIFY_WITH_TIMEOUT(!(autosave2 = autosaveWithBatch(autosaveDir, 41)).isEmpty(), 20000);
    QVERIFY(autosave1 != autosave2);
    QCOMPARE(writefaults::readAll(autosave1), bytes1);

    QCOMPARE(w1.process().state(), QProcess::Running);
    QCOMPARE(w2.process().state(), QProcess::Running);
    QVERIFY(w1.killHard());
    QVERIFY(w2.killHard());
    QVERIFY(QFileInfo::exists(autosave1) && QFileInfo::exists(autosave2));

    // The third start offers both, each with its file, and opens the file it was given beside them.
    AppProcess w3(home.path(), QStringLiteral("restore"), {}, {file3});
    QVERIFY(w3.process().waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!w3.startLine().isEmpty(), 20000);
    QStringList offered = w3.offered();
    offered.sort();
    QCOMPARE(offered, (QStringList{file1, file2}));
    const QString start = w3.startLine();
    QVERIFY2(start.contains(QStringLiteral("2 offered, 2 restored")), qPrintable(start));
    QVERIFY2(start.contains(file1 + QStringLiteral(" batch=37 modified=1")), qPrintable(start));
    QVERIFY2(start.contains(file2 + QStringLiteral(" batch=41 modified=1")), qPrintable(start));
    QVERIFY2(start.contains(file3 + QStringLiteral(" batch=1 modified=0")), qPrintable(start));

    // Restored, the autosaves belong to window 3's windows: a fourth start offers nothing.
    AppProcess w4(home.path(), QStringLiteral("discard"), {});
    QVERIFY(w4.process().waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!w4.startLine().isEmpty(), 20000);
    QVERIFY2(w4.offered().isEmpty(), qPrintable(w4.err()));
    QCOMPARE(readJson(autosave1)["parameters"]["workload"]["batch"].get<int>(), 37);
    QCOMPARE(readJson(autosave2)["parameters"]["workload"]["batch"].get<int>(), 41);
}

QTEST_MAIN(TestAutosave)
#include "tst_autosave.moc"
