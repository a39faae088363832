// Every view but Today, in one module: app.js loads it with one import() once Today is on
// screen (or sooner, when the person asks for one of these first), so the window's first
// paint waits only for Today's code. app.js makes the views and wires them together.

export { createAbout } from "./views/about.js";
export { createAreas } from "./views/areas.js";
export { createBackup } from "./views/backup.js";
export { createCycles } from "./views/cycles.js";
export { createDashboard } from "./views/dashboard.js";
export { createEditor } from "./views/editor.js";
export { createGuidanceSettings } from "./views/guidance-settings.js";
export { createLessons } from "./views/lessons.js";
export { createReview } from "./views/review.js";
export { createSettings } from "./views/settings.js";
export { createSync } from "./views/sync.js";
export { createTrackRecord } from "./views/track-record.js";
