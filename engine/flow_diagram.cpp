#include "engine/flow_diagram.h"

namespace jingsai::engine {
namespace {

// A DOT double-quoted string: quotes and backslashes escaped, newlines as \n.
std::string Quoted(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

std::string_view ShapeOf(StageKind kind) {
  switch (kind) {
    case StageKind::kEdit:
      return "box";
    case StageKind::kReview:
      return "box, style=rounded";
    case StageKind::kVote:
      return "hexagon";
    case StageKind::kEnd:
      return "box, style=\"rounded,bold\", peripheries=2";
  }
  return "box";
}

std::string StageLabel(const Stage& stage) {
  std::string label = stage.title.empty() ? stage.id : stage.title + "\n(" + stage.id + ")";
  if (stage.actor) {
    label += "\n" + stage.actor->role + "@" + std::string(ScopeName(stage.actor->scope));
  }
  if (stage.approvals.mode == ApprovalMode::kAll) label += "\n会签：全部通过";
  if (stage.approvals.mode == ApprovalMode::kRatio) {
    label += "\n票签：" + std::to_string(static_cast<int>(stage.approvals.ratio * 100 + 0.5)) + "%";
  }
  if (stage.due_minutes) label += "\n时限 " + std::to_string(*stage.due_minutes / 60) + " 小时";
  return label;
}

}  // namespace

std::string FlowToDot(const FlowDefinition& flow) {
  std::string dot = "digraph " + Quoted(flow.key) + " {\n";
  dot += "  label=" + Quoted(flow.title) + ";\n  labelloc=t;\n  rankdir=LR;\n";
  dot += "  node [fontname=\"Noto Sans CJK SC\"];\n  edge [fontname=\"Noto Sans CJK SC\"];\n";
  dot += "  __start [shape=point];\n  __start -> " + Quoted(flow.start) + ";\n";
  for (const Stage& stage : flow.stages) {
    dot += "  " + Quoted(stage.id) + " [shape=" + std::string(ShapeOf(stage.kind)) +
           ", label=" + Quoted(StageLabel(stage)) + "];\n";
  }
  for (const Stage& stage : flow.stages) {
    for (const ActionSpec& action : stage.actions) {
      for (const std::string& to : action.to) {
        std::string attributes = "label=" + Quoted(action.name);
        if (action.name == kActionReturn || action.name == kActionWithdraw) {
          attributes += ", style=dashed";
        }
        dot += "  " + Quoted(stage.id) + " -> " + Quoted(to) + " [" + attributes + "];\n";
      }
    }
  }
  return dot + "}\n";
}

}  // namespace jingsai::engine
