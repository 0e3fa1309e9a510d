/** The deletion guard on its own (cdk-nag style): pass and fail cases on literal counts. */
import { deletionGuard, parseMaxDeletes } from "../../../lib/core/sync/rules/guard";

describe("deletion guard", () => {
  it.each([
    [5, 8, 5],
    [10, 40, 10],
  ])(
    "deletionGuard: passes when %i deletes of %i managed are within the default limit",
    (deletes, managed, limit) => {
      const { verdict, problem } = deletionGuard(deletes, managed, undefined);

      expect(problem).toBeUndefined();
      expect(verdict).toMatchObject({ deletes, managed, limit, refused: false });
    },
  );

  it("deletionGuard: refuses when the deletes pass the default limit, naming the raise", () => {
    const { verdict, problem } = deletionGuard(11, 40, undefined);

    expect(verdict).toMatchObject({ limit: 10, refused: true });
    expect(verdict.limitSource).toBe("default: max(5, 25 % of 40 managed)");
    expect(problem?.rule).toBe("deletion-guard");
    expect(problem?.message).toContain("raise the limit: maxDeletes 11");
  });

  it("deletionGuard: passes when a count allows the deletes", () => {
    expect(deletionGuard(12, 40, 12, "--max-deletes").problem).toBeUndefined();
  });

  it("deletionGuard: refuses when the deletes pass a count, in the caller's option name", () => {
    const { verdict, problem } = deletionGuard(3, 8, 2, "--max-deletes");

    expect(verdict).toMatchObject({ limit: 2, limitSource: "--max-deletes 2", refused: true });
    expect(problem?.message).toContain("raise the limit: --max-deletes 3");
  });

  it("deletionGuard: passes when a share allows the deletes", () => {
    const { verdict, problem } = deletionGuard(3, 10, "30%");

    expect(problem).toBeUndefined();
    expect(verdict).toMatchObject({ limit: 3, limitSource: "maxDeletes 30% of 10 managed" });
  });

  it("deletionGuard: refuses when the deletes pass a share", () => {
    const { verdict, problem } = deletionGuard(4, 10, "30%");

    expect(verdict).toMatchObject({ limit: 3, refused: true });
    expect(problem?.message).toContain("more than the limit of 3");
  });

  it.each([
    ["10", 10],
    ["0", 0],
    ["30%", "30%"],
    ["12.5%", "12.5%"],
    ["100%", "100%"],
  ])("parseMaxDeletes: passes %j", (text, parsed) => {
    expect(parseMaxDeletes(text)).toBe(parsed);
  });

  it.each(["", "ten", "-1", "1.5", "30 %", "%", "101%", "1e3"])(
    "parseMaxDeletes: refuses %j",
    (text) => {
      expect(parseMaxDeletes(text)).toBeUndefined();
    },
  );
});
