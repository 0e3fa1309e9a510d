import type { ApplyResult } from "../apply";
import type { Plan } from "../types";
import { planJson, resultJson } from "./json";
import { planMarkdown, resultMarkdown } from "./markdown";
import { planText, resultText } from "./text";

/** How a plan or a result is printed: for a terminal, a pull-request comment, or a program. */
export type RenderFormat = "text" | "markdown" | "json";

/** How text is printed. */
export interface RenderOptions {
  /**
   * ANSI colours (text only); the CLI turns them on for a terminal.
   * @default false - plain text, safe in logs and files
   */
  readonly color?: boolean;
}

/** A plan as `ram-scim plan` prints it in each format. */
export function renderPlan(plan: Plan, format: RenderFormat, options: RenderOptions = {}): string {
  if (format === "json") return `${JSON.stringify(planJson(plan), null, 2)}\n`;
  if (format === "markdown") return planMarkdown(plan);
  return planText(plan, options.color ?? false);
}

/** An apply's result as `ram-scim apply` prints it in each format. */
export function renderResult(
  result: ApplyResult,
  format: RenderFormat,
  options: RenderOptions = {},
): string {
  if (format === "json") return `${JSON.stringify(resultJson(result), null, 2)}\n`;
  if (format === "markdown") return resultMarkdown(result);
  return resultText(result, options.color ?? false);
}

export {
  JSON_FORMAT_VERSION,
  SAFETY_RULES,
  planJson,
  planStatus,
  resultJson,
  resultStatus,
} from "./json";
export type {
  OutcomeJson,
  PlanJson,
  PlanStatus,
  ProblemJson,
  ResultJson,
  ResultStatus,
  StepJson,
} from "./json";
export { outcomeLine, resultSummaryLine } from "./text";
export { compactSummary, stepLine, stepsByUser, summaryLine } from "./words";
