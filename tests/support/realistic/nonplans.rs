//! Markdown that is not a plan and must be skipped silently: spec-kit plans, ADRs,
//! READMEs, design notes quoting a plan title, and plan-named files in hidden or ignored
//! folders. `(path, style, text)`, paths from the repository's root.

pub const NON_PLANS: &[(&str, &str, &str)] = &[
    ("README.md", "non-plan:readme", "# Acme Shop\n\nThe shop's web app. Plans live in `projectManagement/Implementations/`.\n\n## Metadata\n\n- **Owner**: platform team\n"),
    ("projectManagement/README.md", "non-plan:readme", "# Project management\n\nWritten by the AI project manager; edit the plans, not the JSON.\n"),
    ("projectManagement/Implementations/README.md", "non-plan:readme", "# Implementation plans\n\n- `active/`: plans in progress\n- `completed/`: done or superseded\n"),
    ("specs/001-user-auth/plan.md", "non-plan:spec-kit", SPEC_KIT_USER_AUTH),
    ("specs/001-user-auth/spec.md", "non-plan:spec-kit", "# Feature Specification: User Auth\n\n**Feature Branch**: `001-user-auth`\n\n## User Scenarios & Testing *(mandatory)*\n\n- **Given** a new user, **When** they sign up, **Then** they get a confirmation mail.\n"),
    ("specs/002-frontend/plan.md", "non-plan:spec-kit", SPEC_KIT_FRONTEND),
    ("specs/002-frontend/tasks.md", "non-plan:spec-kit", "# Tasks: Frontend\n\n- [ ] T001 Create the project structure per the plan\n- [ ] T002 [P] Configure linting in `.eslintrc`\n"),
    ("docs/adr/0001-use-jwt.md", "non-plan:adr", "# 1. Use JWT for sessions\n\nDate: 2025-06-30\n\n## Status\n\nAccepted\n\n## Context\n\nThe gateway must validate sessions alone.\n\n## Decision\n\nJWT access tokens, 15 minutes.\n\n## Consequences\n\nRevocation needs a deny-list.\n"),
    ("docs/design/search.md", "non-plan:title-without-metadata", "# Implementation Plan: M02 - Search\n\nA design note that borrows the plan's title; it has no metadata.\n\n## Strategy\n\nIndex on write.\n"),
    ("docs/design/ranking.md", "non-plan:title-without-milestone-field", "# Implementation Plan: M03 - Ranking\n\n## Metadata\n- **Owner**: search team\n- **Reviewed**: 2025-07-01\n\n## Analysis\nBM25 first.\n"),
    ("CHANGELOG.md", "non-plan:changelog", "# Changelog\n\n## 0.4.0 — 2025-07-01\n\n- Added M{n} folders.\n"),
    (".github/plans/M01-v1-hidden.md", "non-plan:hidden-folder", "# Implementation Plan: M01 - Hidden\n\n## Metadata\n- **Milestone**: M99\n- **Status**: Active\n"),
    ("build/M05-v1-generated.md", "non-plan:gitignored", "# Implementation Plan: M05 - Generated\n\n## Metadata\n- **Milestone**: M98\n- **Status**: Draft\n"),
];

/// Files beside the non-plans that make them what they are.
pub const SUPPORT_FILES: &[(&str, &str)] = &[(".gitignore", "build/\n")];

const SPEC_KIT_USER_AUTH: &str = "# Implementation Plan: User Auth

**Branch**: `001-user-auth` | **Date**: 2025-06-30 | **Spec**: [spec.md](./spec.md)
**Input**: Feature specification from `/specs/001-user-auth/spec.md`

## Summary

Email and password sign-up with confirmation, then JWT sessions.

## Technical Context

**Language/Version**: Rust 1.82
**Primary Dependencies**: axum, sqlx
**Storage**: PostgreSQL
**Testing**: cargo test
**Performance Goals**: login p95 < 200 ms

## Constitution Check

*GATE: Must pass before Phase 0 research.*

## Project Structure

```text
src/
├── auth/
└── users/
```

## Phase 0: Outline & Research

1. Extract unknowns from the Technical Context above.
";

const SPEC_KIT_FRONTEND: &str = "# Implementation Plan: M01 — Frontend

## Metadata
- **Milestone**: M01
- **Status**: active
- **Created**: 2025-07-01

## Summary

The web front end, in the spec-kit layout with a milestone in its title.

## Technical Context

**Language/Version**: TypeScript 5.5
";
