export * from "./log.ts";
export * from "./settings.ts";
export * from "./stage.ts";
