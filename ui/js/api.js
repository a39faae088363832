// The only module that talks to Rust. Views call these functions, never `invoke`
// directly, so a fake backend for a test is one object with the same functions.
//
// Every failure is thrown as an ApiError with the stable shape the Rust side sends:
// { kind, message, fields? } (see src-tauri/core/src/error.rs).

export class ApiError extends Error {
  constructor({ kind = "unknown", message = "something went wrong", fields = [] } = {}) {
    super(message);
    this.kind = kind;
    this.fields = fields;
  }
}

function invoke(command, args = {}) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core) {
    return Promise.reject(new ApiError({ kind: "noBackend", message: "Rebound's backend is not available" }));
  }
  return tauri.core.invoke(command, args).catch((error) => {
    if (error && typeof error === "object" && "kind" in error) throw new ApiError(error);
    throw new ApiError({ kind: "unknown", message: String(error) });
  });
}

// Everything the window needs to open, in one call: the theme, whether the data is
// open, and Today with its evidence chart drawn `width` CSS pixels wide.
export const start = (systemDark, width) => invoke("get_start", { systemDark, width });
export const startupStatus = () => invoke("get_startup_status");
export const retryOpen = () => invoke("retry_open");
export const listCycles = (limit, offset = 0) => invoke("list_cycles", { limit, offset });
export const getCycle = (id) => invoke("get_cycle", { id });
export const createCycle = (draft) => invoke("create_cycle", { draft });
export const updateCycle = (id, draft) => invoke("update_cycle", { id, draft });
export const deleteCycle = (id) => invoke("delete_cycle", { id });
// A deleted cycle comes back exactly as it was; its derived stage marks and what it
// waited for are not data.
export const restoreCycle = ({ stages: _derived, waiting: _queue, ...cycle }) => invoke("restore_cycle", { cycle });
export const listAreas = () => invoke("list_areas");
// Charts are drawn `width` CSS pixels wide: the width they are shown at, so their text
// keeps its size.
export const evidenceChart = (theme, width) => invoke("get_evidence_chart", { theme, width });
export const todayView = () => invoke("get_today");
export const openAdjustment = (area) => invoke("get_open_adjustment", { area });
export const searchCycles = (filter, limit, offset = 0) => invoke("search_cycles", { filter, limit, offset });
export const listLessons = (filter, limit) => invoke("list_lessons", { filter, limit });
export const areaOverview = () => invoke("get_area_overview");
export const renameArea = (from, to) => invoke("rename_area", { from, to });
export const archiveArea = (area, archived) => invoke("archive_area", { area, archived });
export const getReminder = () => invoke("get_reminder");
export const setReminder = (enabled, time) => invoke("set_reminder", { enabled, time });
export const pendingReminder = () => invoke("take_pending_reminder");
export const checkNudges = (draft) => invoke("check_nudges", { draft });
// Dashboard: the charts in `kinds` (the first alone, then the rest), for a range and theme.
export const dashboard = (kinds, range, theme, area, width) => invoke("get_dashboard", { kinds, range, theme, area, width });
export const saveCheckin = (answers) => invoke("save_checkin", { answers });
export const checkinLater = () => invoke("postpone_checkin");
export const setTargetBand = (low, high) => invoke("set_target_band", { low, high });
export const aboutInfo = () => invoke("get_about");
// A passphrase encrypts the backup; null writes plain JSON.
export const exportBackup = (passphrase) => invoke("export_backup", { passphrase });
export const exportReadable = (format) => invoke("export_readable", { format });
// Restore: choose a file (or an automatic backup by name), unlock it, then apply.
export const openBackup = (automatic = null) => invoke("open_backup", { automatic });
export const unlockBackup = (passphrase) => invoke("unlock_backup", { passphrase });
export const applyRestore = (mode) => invoke("apply_restore", { mode });
export const backupOverview = () => invoke("get_backup_overview");
export const setBackupSettings = (enabled, keep) => invoke("set_backup_settings", { enabled, keep });
export const chooseBackupFolder = () => invoke("choose_backup_folder");
export const backupNow = () => invoke("make_backup_now");
// When the data cannot be opened: rebuild it from Rebound's own records.
export const recoverData = () => invoke("recover_data");
// This computer's look: the theme chosen in Settings ("system", "light" or "dark").
export const getAppearance = () => invoke("get_appearance");
export const setAppearance = (theme) => invoke("set_appearance", { theme });
export const setPlainSans = (same) => invoke("set_plain_sans", { same });
// Guidance: the editor's guide for an area ("" = the last area), each area's band and
// staircase rule ([low, high] and [up_after, down_after]; null = the default).
export const attemptGuide = (area) => invoke("get_attempt_guide", { area });
export const areaGuide = (area) => invoke("get_area_guide", { area });
export const setAreaGuide = (area, band, staircase) => invoke("set_area_guide", { area, band, staircase });
export const playbook = (filter) => invoke("get_playbook", { filter });
export const trackRecord = () => invoke("get_track_record");
// The weekly review and the attempt it plans.
export const review = () => invoke("get_review");
export const reviewSettings = () => invoke("get_review_settings");
export const savePlan = (area, attempt, difficulty, on) => invoke("save_plan", { area, attempt, difficulty, on });
export const clearPlan = () => invoke("clear_plan");
export const finishReview = () => invoke("finish_review");
export const setReviewSettings = (enabled, weekday, time) => invoke("set_review_settings", { enabled, weekday, time });
// The tray and start at login; what the tray asked the window to do.
export const desktopSettings = () => invoke("get_desktop_settings");
export const setInTray = (enabled) => invoke("set_in_tray", { enabled });
export const takeTrayRequest = () => invoke("take_tray_request");
// Sync with the person's other computers, through a folder their sync tool keeps in step.
export const syncOverview = () => invoke("get_sync_overview");
export const chooseSyncFolder = () => invoke("choose_sync_folder");
// The passphrase is needed the first time on a computer; null otherwise.
export const syncNow = (passphrase = null) => invoke("sync_now", { passphrase });
// Keep the text at `keep` in the conflict's list, or every text when `keep` is null.
export const resolveSyncConflict = (cycle, field, keep = null) => invoke("resolve_sync_conflict", { cycle, field, keep });
