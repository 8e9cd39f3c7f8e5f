//! What scripted actions read off the screen: visible buttons by label and visible text nodes
//! with their rectangles (and the rectangle of the button each sits on), in physical pixels
//! from the window's top-left corner: a screenshot's pixels.

use bevy::{ecs::system::SystemParam, input_focus::InputFocus, prelude::*};

use crate::ui::theme::Icon;

/// A node's top-left corner and size, physical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Area {
    fn of(transform: &UiGlobalTransform, node: &ComputedNode) -> Area {
        let (size, centre) = (node.size(), transform.translation);
        Area { x: centre.x - size.x / 2.0, y: centre.y - size.y / 2.0, w: size.x, h: size.y }
    }

    fn to_json(self) -> serde_json::Value {
        serde_json::json!({ "x": self.x, "y": self.y, "w": self.w, "h": self.h })
    }
}

/// One text node as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub text: String,
    pub area: Area,
    /// The button the text is on, if any.
    pub button: Option<Area>,
    /// That button has the keyboard focus.
    pub focused: bool,
}

impl Shown {
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = self.area.to_json();
        json["text"] = self.text.clone().into();
        json["button"] = self.button.map_or(serde_json::Value::Null, Area::to_json);
        json["focused"] = self.focused.into();
        json
    }
}

#[derive(SystemParam)]
pub struct Screen<'w, 's> {
    buttons: Query<
        'w,
        's,
        (
            &'static UiGlobalTransform,
            &'static ComputedNode,
            &'static InheritedVisibility,
            Option<&'static CalculatedClip>,
            &'static Children,
        ),
        With<Button>,
    >,
    focus: Option<Res<'w, InputFocus>>,
    parents: Query<'w, 's, &'static ChildOf>,
    texts: Query<
        'w,
        's,
        (
            Entity,
            &'static Text,
            &'static UiGlobalTransform,
            &'static ComputedNode,
            &'static InheritedVisibility,
            Option<&'static CalculatedClip>,
        ),
        // Icons are decoration: scripts read the words, as a screen reader does.
        Without<Icon>,
    >,
}

/// Whether a node is visible, laid out, and not entirely clipped away by an ancestor's overflow
/// (a result scrolled off the bottom of the panel is not "shown").
fn drawn(
    transform: &UiGlobalTransform,
    node: &ComputedNode,
    visibility: &InheritedVisibility,
    clip: Option<&CalculatedClip>,
) -> bool {
    let size = node.size();
    let rect = Rect::from_center_size(transform.translation, size);
    visibility.get() && size.x > 0.0 && size.y > 0.0 && clip.is_none_or(|c| !c.clip.intersect(rect).is_empty())
}

impl Screen<'_, '_> {
    /// The nearest button among `entity`'s ancestors, and whether it has the focus.
    fn button_under(&self, entity: Entity) -> Option<(Area, bool)> {
        let focused = self.focus.as_ref().and_then(|f| f.get());
        self.parents
            .iter_ancestors(entity)
            .find_map(|a| self.buttons.get(a).ok().map(|(t, n, ..)| (Area::of(t, n), focused == Some(a))))
    }

    /// Every visible text node, top to bottom, left to right.
    pub fn texts(&self) -> Vec<Shown> {
        let mut shown: Vec<Shown> = self
            .texts
            .iter()
            .filter(|(.., transform, node, visibility, clip)| drawn(transform, node, visibility, *clip))
            .map(|(entity, text, transform, node, ..)| {
                let button = self.button_under(entity);
                Shown {
                    text: text.0.clone(),
                    area: Area::of(transform, node),
                    button: button.map(|(area, _)| area),
                    focused: button.is_some_and(|(_, focused)| focused),
                }
            })
            .collect();
        shown.sort_by(|a, b| a.area.y.total_cmp(&b.area.y).then(a.area.x.total_cmp(&b.area.x)));
        shown
    }

    /// The words on the focused control, if a visible one has the focus.
    pub fn focused_label(&self) -> Option<String> {
        self.texts().into_iter().find(|t| t.focused).map(|t| t.text)
    }

    /// A visible text node that reads `wanted`, else one that contains it.
    pub fn text(&self, wanted: &str) -> Option<Shown> {
        let texts = self.texts();
        let exact = texts.iter().position(|t| t.text == wanted);
        exact.or_else(|| texts.iter().position(|t| t.text.contains(wanted))).map(|i| texts[i].clone())
    }

    /// The centre of the visible part of a button whose text is `label`, else of one whose text
    /// starts with it (physical pixels). Of several, the first fully visible one reading top to
    /// bottom, left to right (a card scrolled half out of its row comes after those in view).
    pub fn button(&self, label: &str) -> Option<Vec2> {
        let labelled = |children: &Children, exact: bool| {
            children.iter().any(|child| {
                self.texts.get(child).is_ok_and(|(_, t, ..)| if exact { t.0 == label } else { t.0.starts_with(label) })
            })
        };
        let pick = |exact: bool| {
            let mut found: Vec<(bool, Rect)> = self
                .buttons
                .iter()
                .filter(|(transform, node, visibility, clip, children)| {
                    drawn(transform, node, visibility, *clip) && labelled(children, exact)
                })
                .map(|(transform, node, _, clip, _)| {
                    let rect = Rect::from_center_size(transform.translation, node.size());
                    let seen = clip.map_or(rect, |c| c.clip.intersect(rect));
                    (seen != rect, seen)
                })
                .collect();
            found.sort_by(|(a_cut, a), (b_cut, b)| {
                a_cut.cmp(b_cut).then(a.min.y.total_cmp(&b.min.y)).then(a.min.x.total_cmp(&b.min.x))
            });
            found.first().map(|(_, seen)| seen.center())
        };
        pick(true).or_else(|| pick(false))
    }
}
